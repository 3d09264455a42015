using System.Net;
using System.Net.Sockets;
using RuntimeProfiling.Diagnostics;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Sends datagrams over a connected, non-blocking UDP socket. A host name is resolved in the background when
/// first needed and again every refresh interval; when the address changes, the socket follows it. A connected
/// socket also hears ICMP "port unreachable", which Linux reports on the next send as a refused connection.
/// </summary>
internal sealed class UdpTransport : IStatsDTransport
{
    // How long the first sample waits for the first lookup of a name; later lookups never hold up a sample.
    private static readonly TimeSpan s_firstLookupWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromSeconds(1);

    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _refresh;
    private readonly TimeProvider _time;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly bool _isLiteral;
    private readonly Lock _lock = new();
    private Socket? _socket;
    private IPEndPoint? _target;
    private IPEndPoint? _resolved;
    private Task? _lookup;
    private long _lookupStarted;
    private long _nextLookupAfterTicks;
    private TimeSpan _retry = s_firstRetry;
    private bool _disposed;

    public UdpTransport(string host, int port, TimeSpan refresh, TimeProvider time, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _host = host;
        _port = port;
        _refresh = refresh;
        _time = time;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            _isLiteral = true;
            _resolved = new IPEndPoint(literal, port);
        }
    }

    /// <summary>Gets the address datagrams currently go to, or null before the first successful lookup.</summary>
    public IPEndPoint? Target
    {
        get
        {
            lock (_lock)
            {
                return _target;
            }
        }
    }

    public ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        if (!_isLiteral)
        {
            Task? lookup = Volatile.Read(ref _lookup);
            long after = Volatile.Read(ref _nextLookupAfterTicks);
            bool due = lookup is null
                || (lookup.IsCompleted && after != Timeout.InfiniteTimeSpan.Ticks && _time.GetElapsedTime(_lookupStarted).Ticks >= after);
            if (due)
            {
                _lookupStarted = _time.GetTimestamp();
                lookup = LookupAsync();
                Volatile.Write(ref _lookup, lookup);
            }

            if (Volatile.Read(ref _resolved) is null && !lookup!.IsCompleted)
            {
                return WaitForFirstLookupAsync(lookup, cancellationToken);
            }
        }

        Apply();
        return default;
    }

    public StatsDSendResult Send(ReadOnlySpan<byte> datagram)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return StatsDSendResult.SocketError;
            }

            if (_socket is null)
            {
                return Volatile.Read(ref _resolved) is null ? StatsDSendResult.Unresolved : StatsDSendResult.Unreachable;
            }

            try
            {
                _socket.Send(datagram, SocketFlags.None, out SocketError error);
                return SocketResults.From(error);
            }
            catch (SocketException e)
            {
                return SocketResults.From(e.SocketErrorCode);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _socket?.Dispose();
            _socket = null;
        }
    }

    private async ValueTask WaitForFirstLookupAsync(Task lookup, CancellationToken cancellationToken)
    {
        try
        {
            await lookup.WaitAsync(s_firstLookupWait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still unresolved: this sample's lines are counted as unresolved; the lookup carries on.
        }
        catch (OperationCanceledException)
        {
            // The profiler is stopping.
        }

        Apply();
    }

    /// <summary>Points the socket at the latest lookup result when it changed. Runs on the sink's thread.</summary>
    private void Apply()
    {
        IPEndPoint? resolved = Volatile.Read(ref _resolved);
        lock (_lock)
        {
            if (_disposed || resolved is null || (resolved.Equals(_target) && _socket is not null))
            {
                return;
            }

            _socket?.Dispose();
            _socket = null;
            _target = resolved;
            var socket = new Socket(resolved.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                // Connecting a UDP socket sends nothing: it fixes the destination and lets ICMP errors reach us.
                socket.Connect(resolved);
                socket.Blocking = false;
                _socket = socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                _target = null;
                RuntimeProfilerEventSource.Log.StatsDConnectFailed(resolved, e.SocketErrorCode);
            }
        }
    }

    private async Task LookupAsync()
    {
        try
        {
            IPAddress[] addresses = await _resolve(_host, CancellationToken.None).ConfigureAwait(false);
            IPEndPoint? chosen = Choose(addresses);
            if (chosen is null)
            {
                Failed("no IPv4 or IPv6 address");
                return;
            }

            if (!chosen.Equals(Volatile.Read(ref _resolved)))
            {
                RuntimeProfilerEventSource.Log.StatsDResolved(_host, chosen.ToString());
            }

            Volatile.Write(ref _resolved, chosen);
            _retry = s_firstRetry;
            Volatile.Write(ref _nextLookupAfterTicks, _refresh.Ticks);
        }
#pragma warning disable CA1031 // Any lookup failure (SocketException, a resolver's own exception) is counted as unresolved, never thrown into the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(e.Message);
        }
    }

    private void Failed(string message)
    {
        RuntimeProfilerEventSource.Log.StatsDResolveFailed(_host, message);

        // Retry sooner than the refresh interval, backing off; a known address keeps being used meanwhile.
        Volatile.Write(ref _nextLookupAfterTicks, (_refresh == Timeout.InfiniteTimeSpan || _retry < _refresh ? _retry : _refresh).Ticks);
        _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
    }

    /// <summary>Keeps the current address while the name still has it; otherwise prefers IPv4, which StatsD servers listen on most.</summary>
    private IPEndPoint? Choose(IPAddress[] addresses)
    {
        IPEndPoint? current = Volatile.Read(ref _resolved);
        if (current is not null && Array.IndexOf(addresses, current.Address) >= 0)
        {
            return current;
        }

        IPAddress? chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetworkV6);
        return chosen is null ? null : new IPEndPoint(chosen, _port);
    }
}
