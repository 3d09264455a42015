using System.Net;
using System.Net.Sockets;

namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>
/// A graphite plaintext receiver on a loopback port chosen at run time: the StatsD daemon's graphite backend
/// connects once per flush and writes <c>path value timestamp</c> lines. A flush counts once its connection closed,
/// so a test never reads half of one.
/// </summary>
internal sealed class GraphiteCapture : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<List<GraphiteLine>> _flushes = [];
    private readonly Task _accepting;

    public GraphiteCapture()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Gets every line of every complete flush, in arrival order.</summary>
    public IReadOnlyList<GraphiteLine> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _flushes.SelectMany(f => f)];
            }
        }
    }

    /// <summary>Gets the sum of a path over all flushes (counters: <c>stats.counters.name.count</c>).</summary>
    public double Sum(string path, string tags = "") => Lines.Where(l => l.Path == path && l.Tags == tags).Sum(l => l.Value);

    /// <summary>Gets the value of a path in the latest flush that has it, or NaN.</summary>
    public double Last(string path, string tags = "") => Lines.LastOrDefault(l => l.Path == path && l.Tags == tags)?.Value ?? double.NaN;

    /// <summary>Waits until complete flushes satisfy a condition; fails the test after a generous real-time limit.</summary>
    public async Task WaitForAsync(Func<GraphiteCapture, bool> condition, string what)
    {
        var limit = TimeSpan.FromSeconds(30);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition(this))
        {
            if (waited.Elapsed > limit)
            {
                Assert.Fail($"Waited {limit.TotalSeconds} s for {what}; the daemon flushed {Lines.Count} lines, the last ones: {string.Join(", ", Lines.TakeLast(12).Select(l => $"{l.Path}{l.Tags}={l.Value}"))}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ReadFlushAsync(client);
        }
    }

    private async Task ReadFlushAsync(TcpClient client)
    {
        using (client)
        {
            using var reader = new StreamReader(client.GetStream());
            var flush = new List<GraphiteLine>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (GraphiteLine.TryParse(line, out GraphiteLine? parsed))
                {
                    flush.Add(parsed);
                }
            }

            lock (_lock)
            {
                _flushes.Add(flush);
            }
        }
    }
}
