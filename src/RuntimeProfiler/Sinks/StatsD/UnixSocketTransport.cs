using System.Net.Sockets;
using RuntimeProfiling.Diagnostics;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Sends datagrams over a connected, non-blocking Unix datagram socket (as the Datadog agent's <c>dsd.socket</c>
/// expects). When the receiver goes away, the next send connects again and retries once; when the file is
/// missing, connecting is retried with a backoff of 100 ms doubling to 5 s. The path is also opened again every
/// refresh interval, because a socket file replaced while its old receiver still runs gives no error at all.
/// </summary>
internal sealed class UnixSocketTransport : IStatsDTransport
{
    private static readonly TimeSpan s_firstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);

    private readonly string _name;
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly TimeSpan _refresh;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private Socket? _socket;
    private long _connectedAt;
    private long _failedAt;
    private TimeSpan _backoff;
    private StatsDSendResult _lastFailure = StatsDSendResult.Unreachable;
    private bool _disposed;

    public UnixSocketTransport(string path, TimeSpan refresh, TimeProvider time)
    {
        _refresh = refresh;
        _name = "unix://" + path;
        _endpoint = new UnixDomainSocketEndPoint(path);
        _time = time;
    }

    public ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_socket is not null && _refresh != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(_connectedAt) >= _refresh)
            {
                // Connect afresh on the next send, to whatever socket the path names now.
                Close();
            }
        }

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

            if (_socket is null && !TryConnect())
            {
                return _lastFailure;
            }

            SocketError error = SendOnce(datagram);
            if (error is SocketError.NotConnected or SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                // The receiver closed, or its socket file was replaced by a new one: this socket still points at
                // the old one. Connect to whatever the path holds now and try once more.
                Close();
                if (!TryConnect())
                {
                    return _lastFailure;
                }

                error = SendOnce(datagram);
            }

            return SocketResults.From(error);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            Close();
        }
    }

    private SocketError SendOnce(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket!.Send(datagram, SocketFlags.None, out SocketError error);
            return error;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    private bool TryConnect()
    {
        if (_backoff > TimeSpan.Zero && _time.GetElapsedTime(_failedAt) < _backoff)
        {
            return false;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(_endpoint);
            socket.Blocking = false;
            _socket = socket;
            _connectedAt = _time.GetTimestamp();
            _backoff = TimeSpan.Zero;
            return true;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            _failedAt = _time.GetTimestamp();
            _backoff = _backoff == TimeSpan.Zero ? s_firstBackoff : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, s_maxBackoff.Ticks));
            StatsDSendResult result = SocketResults.From(e.SocketErrorCode);
            _lastFailure = result == StatsDSendResult.Sent ? StatsDSendResult.SocketError : result;
            RuntimeProfilerEventSource.Log.StatsDConnectFailed(_name, e.SocketErrorCode);
            return false;
        }
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
