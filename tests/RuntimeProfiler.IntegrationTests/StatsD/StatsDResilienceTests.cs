using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>
/// Faults made for real (a daemon stopped and restarted, a closed port, a socket file missing or replaced, a name
/// that does not resolve or moves, a receiver that stops reading): the host never sees an exception, a write never
/// waits on the network, every drop the sink can see is counted, and sending resumes by itself.
/// </summary>
public sealed class StatsDResilienceTests
{
    private static readonly TimeSpan s_flush = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_Daemon_That_Stops_Costs_Counted_Drops_And_Sending_Resumes_When_It_Is_Back()
    {
        await using var graphite = new GraphiteCapture();
        StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        int port = daemon.Port;
        using var sink = new StatsDSink(new StatsDSinkOptions { Port = port });
        try
        {
            WriteMarked(sink, 1);
            await graphite.WaitForAsync(g => g.Last(MarkerPath) == 1, "the first sample");

            await daemon.StopAsync();
            for (int i = 0; i < 10; i++)
            {
                WriteMarked(sink, 2);
            }

            // Linux reports the ICMP "port unreachable" of one datagram on the next send, which fails: those are counted.
            // The datagram that drew the ICMP was lost with no error anyone could see.
            Assert.True(sink.Health.Unreachable > 0, "no drop counted while the daemon was down");
            Assert.Equal(sink.Health.Unreachable, sink.Health.Dropped);

            await daemon.DisposeAsync();
            daemon = await StatsDDaemon.StartAsync(graphite, s_flush, port);
            await WriteUntilAsync(sink, graphite, 3);
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_Closed_Port_Is_Counted_As_Unreachable_Without_An_Exception()
    {
        using var sink = new StatsDSink(new StatsDSinkOptions { Port = ClosedUdpPort() });
        for (int i = 0; i < 10; i++)
        {
            WriteMarked(sink, i);
        }

        Assert.True(sink.Health.Unreachable > 0);
        Assert.Equal(sink.Health.Unreachable, sink.Health.Dropped);
    }

    [Fact]
    public async Task A_Missing_Socket_File_Is_Counted_And_Sending_Starts_When_It_Appears()
    {
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        using var path = new TempSocketPath();
        using var sink = new StatsDSink(new StatsDSinkOptions { UnixSocketPath = path });
        int lines = LinesPerSample(new StatsDSinkOptions { MaxDatagramBytes = 8192 });
        for (int i = 0; i < 5; i++)
        {
            WriteMarked(sink, 1);
        }

        Assert.Equal(5 * lines, sink.Health.Unreachable);
        Assert.Equal(0, sink.Health.Datagrams);

        await using SocatBridge bridge = await SocatBridge.StartAsync(path, daemon.Port);
        await WriteUntilAsync(sink, graphite, 2);
    }

    [Fact]
    public async Task A_Socket_Whose_Reader_Restarts_Is_Connected_Again()
    {
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        using var path = new TempSocketPath();
        using var sink = new StatsDSink(new StatsDSinkOptions { UnixSocketPath = path });
        SocatBridge bridge = await SocatBridge.StartAsync(path, daemon.Port);
        try
        {
            await WriteUntilAsync(sink, graphite, 1);

            // Stopped by its PID, socat leaves its socket file behind with no reader: a stale socket.
            await bridge.StopAsync();
            for (int i = 0; i < 3; i++)
            {
                WriteMarked(sink, 2);
            }

            Assert.True(sink.Health.Unreachable > 0, "no drop counted while the socket had no reader");

            // A new reader, a new socket file at the same path.
            await bridge.DisposeAsync();
            bridge = await SocatBridge.StartAsync(path, daemon.Port);
            await WriteUntilAsync(sink, graphite, 3);
        }
        finally
        {
            await bridge.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_Socket_File_Replaced_While_Its_Old_Reader_Lives_Is_Followed_On_The_Next_Refresh()
    {
        using var path = new TempSocketPath();
        var clock = new FakeTimeProvider();
        var options = new StatsDSinkOptions { UnixSocketPath = path, EndpointRefreshInterval = TimeSpan.FromSeconds(30) };
        using Socket first = BindUnix(path);
        using var sink = new StatsDSink(options, clock, e => new UnixSocketTransport(e.UnixPath!, options.EndpointRefreshInterval, clock));
        WriteMarked(sink, 1);
        Assert.Contains("dotnet.timer.count:1|g", ReceiveAll(first), StringComparison.Ordinal);

        // The file now names another socket; the old one still reads, so sending to it raises no error at all.
        File.Delete(path);
        using Socket second = BindUnix(path);
        WriteMarked(sink, 2);
        Assert.Contains("dotnet.timer.count:2|g", ReceiveAll(first), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromSeconds(30));
        WriteMarked(sink, 3);
        Assert.Contains("dotnet.timer.count:3|g", ReceiveAll(second), StringComparison.Ordinal);
        Assert.Equal(string.Empty, ReceiveAll(first));
        Assert.Equal(0, sink.Health.Dropped);
    }

    [Fact]
    public async Task A_Name_That_Does_Not_Resolve_Is_Counted_As_Unresolved()
    {
        // The .invalid top-level domain never resolves (RFC 2606); this asks the real resolver.
        using var sink = new StatsDSink(new StatsDSinkOptions { Host = "statsd.runtime-profiler.invalid" });
        int lines = LinesPerSample(new StatsDSinkOptions());
        await sink.WriteAsync(Marked(1), CancellationToken.None);
        Assert.Equal(lines, sink.Health.Unresolved);
        Assert.Equal(lines, sink.Health.Dropped);
    }

    [Fact]
    public async Task A_Name_That_Starts_Resolving_Is_Used_Without_A_Restart()
    {
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        var clock = new FakeTimeProvider();
        var resolver = new ScriptedResolver();
        var options = new StatsDSinkOptions { Host = "agent.example", Port = daemon.Port };
        using var sink = new StatsDSink(options, clock, e => new UdpTransport(e.Host!, e.Port, options.EndpointRefreshInterval, clock, resolver.ResolveAsync));

        await sink.WriteAsync(Marked(1), CancellationToken.None);
        Assert.Equal(LinesPerSample(new StatsDSinkOptions()), sink.Health.Unresolved);

        resolver.Answer = [IPAddress.Loopback];
        await sink.WriteAsync(Marked(2), CancellationToken.None);
        Assert.Equal(1, resolver.Calls);
        clock.Advance(TimeSpan.FromSeconds(1));
        await sink.WriteAsync(Marked(3), CancellationToken.None);
        Assert.Equal(2, resolver.Calls);
        await graphite.WaitForAsync(g => g.Last(MarkerPath) == 3, "the sample sent once the name resolved");
    }

    [Fact]
    public async Task A_Name_That_Moves_Is_Followed_On_The_Next_Refresh()
    {
        using Socket oldAgent = BindUdp(IPAddress.Loopback, 0);
        int port = ((IPEndPoint)oldAgent.LocalEndPoint!).Port;
        using Socket newAgent = BindUdp(IPAddress.Parse("127.0.0.2"), port);
        var clock = new FakeTimeProvider();
        var resolver = new ScriptedResolver { Answer = [IPAddress.Loopback] };
        var options = new StatsDSinkOptions { Host = "agent.example", Port = port, EndpointRefreshInterval = TimeSpan.FromSeconds(30) };
        using var sink = new StatsDSink(options, clock, e => new UdpTransport(e.Host!, e.Port, options.EndpointRefreshInterval, clock, resolver.ResolveAsync));

        await sink.WriteAsync(Marked(1), CancellationToken.None);
        Assert.Contains("dotnet.timer.count:1|g", ReceiveAll(oldAgent), StringComparison.Ordinal);

        resolver.Answer = [IPAddress.Parse("127.0.0.2")];
        clock.Advance(TimeSpan.FromSeconds(29));
        await sink.WriteAsync(Marked(2), CancellationToken.None);
        Assert.Contains("dotnet.timer.count:2|g", ReceiveAll(oldAgent), StringComparison.Ordinal);
        Assert.Equal(1, resolver.Calls);

        clock.Advance(TimeSpan.FromSeconds(1));
        await sink.WriteAsync(Marked(3), CancellationToken.None);
        Assert.Equal(2, resolver.Calls);
        Assert.Contains("dotnet.timer.count:3|g", ReceiveAll(newAgent), StringComparison.Ordinal);
        Assert.Equal(string.Empty, ReceiveAll(oldAgent));

        // A lookup that fails keeps the address that works.
        resolver.Answer = null;
        clock.Advance(TimeSpan.FromSeconds(30));
        await sink.WriteAsync(Marked(4), CancellationToken.None);
        Assert.Contains("dotnet.timer.count:4|g", ReceiveAll(newAgent), StringComparison.Ordinal);
        Assert.Equal(0, sink.Health.Dropped);
    }

    [Fact]
    public void A_Reader_That_Falls_Behind_Costs_Counted_Drops_And_Sending_Resumes_When_It_Reads()
    {
        using var path = new TempSocketPath();
        using Socket reader = BindUnix(path);
        using var sink = new StatsDSink(new StatsDSinkOptions { UnixSocketPath = path, MaxDatagramBytes = 1432 });
        int written = 0;
        while (sink.Health.BufferFull == 0)
        {
            Assert.True(written++ < 1000, "the socket never filled");
            WriteMarked(sink, written);
        }

        long full = sink.Health.BufferFull;
        long sent = sink.Health.Datagrams;
        Assert.True(sent > 0);
        Assert.Equal(full, sink.Health.Dropped);

        ReceiveAll(reader);
        WriteMarked(sink, 7777);
        Assert.Contains("dotnet.timer.count:7777|g", ReceiveAll(reader), StringComparison.Ordinal);
        Assert.Equal(full, sink.Health.BufferFull);
        Assert.True(sink.Health.Datagrams > sent);
    }

    [Fact]
    public async Task Drops_Reach_The_Profilers_Own_Figures_And_The_Sink_Never_Fails()
    {
        var collecting = new CollectingSink();
        using var statsd = new StatsDSink(new StatsDSinkOptions { Port = ClosedUdpPort() });
        var options = new RuntimeProfilerOptions { Interval = TimeSpan.FromMilliseconds(50) };
        options.Sinks.Add(statsd);
        options.Sinks.Add(collecting);
        await using (var profiler = new RuntimeProfiler(options))
        {
            profiler.Start();
            await collecting.WaitForAsync(10);
            await profiler.StopAsync();
        }

        CollectedSample last = collecting.Samples[^1];
        Assert.Equal(0, last.Value(MetricId.ProfilerSinkErrors));
        Assert.True(last.Value(MetricId.StatsDDroppedUnreachable) > 0);
        Assert.True(last.Value(MetricId.StatsDDatagramsSent) >= 1);
        Assert.Equal(0, last.Value(MetricId.StatsDDroppedBufferFull));
        Assert.True(statsd.Health.Unreachable >= last.Value(MetricId.StatsDDroppedUnreachable));
    }

    private const string MarkerPath = "stats.gauges.dotnet.timer.count";

    /// <summary>A full sample whose timer count is a marker the test looks for at the other end.</summary>
    private static RuntimeSnapshot Marked(double marker)
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        snapshot.Values[(int)MetricId.TimerCount] = marker;
        return snapshot;
    }

    /// <summary>Writes a sample; every write must complete at once, whatever the network does.</summary>
    private static void WriteMarked(StatsDSink sink, double marker)
    {
        ValueTask write = sink.WriteAsync(Marked(marker), CancellationToken.None);
        Assert.True(write.IsCompletedSuccessfully, "a write waited on the network");
    }

    /// <summary>Writes marked samples until the daemon has flushed the marker: sending resumed by itself.</summary>
    private static async Task WriteUntilAsync(StatsDSink sink, GraphiteCapture graphite, double marker)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (graphite.Last(MarkerPath) != marker)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"sending did not resume; drops: {sink.Health.Dropped}");
            WriteMarked(sink, marker);
            await Task.Delay(100);
        }
    }

    private static int LinesPerSample(StatsDSinkOptions options)
    {
        var transport = new FakeStatsDTransport();
        using var sink = new StatsDSink(options, TimeProvider.System, _ => transport);
        sink.WriteAsync(Marked(1), CancellationToken.None).GetAwaiter().GetResult();
        return transport.Lines.Count();
    }

    private static int ClosedUdpPort()
    {
        using Socket probe = BindUdp(IPAddress.Loopback, 0);
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static Socket BindUdp(IPAddress address, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, port));
        return socket;
    }

    private static Socket BindUnix(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>Reads every datagram waiting on a socket, without waiting for more.</summary>
    private static string ReceiveAll(Socket socket)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[65536];
        while (socket.Available > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, socket.Receive(buffer))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A resolver whose answer the test sets: null fails the lookup as an unknown host would.</summary>
    private sealed class ScriptedResolver
    {
        public IPAddress[]? Answer { get; set; }

        public int Calls { get; private set; }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Calls++;
            return Answer is { } answer ? Task.FromResult(answer) : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
        }
    }
}
