using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Hosting.Tests;

/// <summary>The StatsD sink in a real host, sending to a real UDP or Unix datagram socket the test binds.</summary>
public sealed class StatsDHostingTests
{
    [Fact]
    public async Task Configuration_Alone_Sends_Every_Sample_In_DogStatsD_Over_Udp_And_Closes_The_Socket_With_The_Host()
    {
        using DatagramReceiver receiver = DatagramReceiver.Udp();
        var logs = new LogCollector();
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Interval"] = "00:00:00.050",
                ["RuntimeProfiler:Sinks:StatsD:Url"] = $"udp://127.0.0.1:{receiver.Port}",
                ["RuntimeProfiler:Sinks:StatsD:Dialect"] = "dogstatsd",
                ["RuntimeProfiler:Sinks:StatsD:Prefix"] = "checkout",
                ["RuntimeProfiler:Sinks:StatsD:GlobalTags:team"] = "payments",
                ["RuntimeProfiler:Sinks:StatsD:GlobalTags:env"] = "prod",
            },
            services => services.AddRuntimeProfiler(),
            logs);
        await host.StartAsync();
        RuntimeProfilerHostedService service = HostFixture.HostedService(host);
        StatsDSink sink = Assert.Single(service.Running.Select(s => s.Sink).OfType<StatsDSink>());
        Assert.Same(sink, Assert.Single(service.Running).Owned);
        Assert.Contains(logs.Entries, e => e.Id.Id == 6 && e.Message == $"RuntimeProfiler sending StatsD (DogStatsD) to udp://127.0.0.1:{receiver.Port}");

        // Tags: the figure's own attributes, then the global ones in key order.
        await receiver.WaitForLineAsync(l => l == $"checkout.dotnet.process.cpu.count:{Environment.ProcessorCount}|g|#env:prod,team:payments", "the processor count");
        await receiver.WaitForLineAsync(l => Regex.IsMatch(l, @"^checkout\.dotnet\.gc\.collections:\d+\|c\|#gc\.heap\.generation:gen0,env:prod,team:payments$"), "gen0 collections");
        Assert.DoesNotContain(receiver.Lines, l => !l.StartsWith("checkout.", StringComparison.Ordinal) || !l.Contains("|#", StringComparison.Ordinal));
        Assert.All(receiver.Datagrams, d => Assert.True(d.Length <= StatsDSinkOptions.DefaultUdpDatagramBytes, $"a datagram of {d.Length} bytes"));

        await host.StopAsync();
        Assert.Empty(service.Running);
        RuntimeSnapshot snapshot = await SnapshotCatcher.TakeOneAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sink.WriteAsync(snapshot, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Stopping_The_Host_Sends_The_Last_Sample_With_What_Happened_Since_Start()
    {
        using DatagramReceiver receiver = DatagramReceiver.Udp();
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Interval"] = "01:00:00",
                ["RuntimeProfiler:Sinks:StatsD:Host"] = "127.0.0.1",
                ["RuntimeProfiler:Sinks:StatsD:Port"] = $"{receiver.Port}",
            },
            services => services.AddRuntimeProfiler());
        long beforeStart = GC.GetTotalAllocatedBytes(precise: false);
        await host.StartAsync();
        long afterStart = GC.GetTotalAllocatedBytes(precise: false);
        byte[] allocated = new byte[16 << 20];
        GC.KeepAlive(allocated);
        long beforeStop = GC.GetTotalAllocatedBytes(precise: false);

        // With an hour between samples, the only sample is the one stopping the host takes. Its allocation figure is
        // the runtime's counter at that sample less the counter when the host started (the counter only grows), so it
        // lies between what the counter moved inside those two moments and what it moved around them.
        await host.StopAsync();
        long afterStop = GC.GetTotalAllocatedBytes(precise: false);
        string line = await receiver.WaitForLineAsync(l => l.StartsWith("dotnet.gc.heap.total_allocated:", StringComparison.Ordinal), "the allocation counter");
        long bytes = long.Parse(line["dotnet.gc.heap.total_allocated:".Length..^"|c".Length], CultureInfo.InvariantCulture);
        Assert.InRange(bytes, beforeStop - afterStart, afterStop - beforeStart);
        Assert.True(beforeStop - afterStart >= allocated.Length - (1 << 20), "the 16 MB array moved the runtime's counter");

        // Plain StatsD, the default: attributes folded into the name, no tags.
        Assert.Contains(receiver.Lines, l => Regex.IsMatch(l, @"^dotnet\.gc\.collections\.gen0:\d+\|c$"));
        Assert.DoesNotContain(receiver.Lines, l => l.Contains("|#", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Unix_Datagram_Socket_Gets_Telegraf_Lines_With_The_Go_Names_In_Datagrams_No_Larger_Than_Configured()
    {
        using DatagramReceiver receiver = DatagramReceiver.Unix();
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Interval"] = "01:00:00",
                ["RuntimeProfiler:Sinks:StatsD:UnixSocketPath"] = receiver.SocketPath,
                ["RuntimeProfiler:Sinks:StatsD:Dialect"] = "Telegraf",
                ["RuntimeProfiler:Sinks:StatsD:Naming"] = "Original",
                ["RuntimeProfiler:Sinks:StatsD:MaxDatagramBytes"] = "128",
                ["RuntimeProfiler:Sinks:StatsD:GlobalTags:service"] = "checkout",
                ["RuntimeProfiler:Sinks:StatsD:EndpointRefreshInterval"] = "Infinite",
            },
            services => services.AddRuntimeProfiler());

        // The last-collection figures exist only once a collection ran: make sure one did, so the set is whole.
        GC.Collect();
        await host.StartAsync();
        StatsDSink sink = Assert.Single(HostFixture.HostedService(host).Running.Select(s => s.Sink).OfType<StatsDSink>());
        Assert.Equal($"unix://{receiver.SocketPath}", sink.Endpoint);
        await host.StopAsync();

        // The original Go names, all gauges, with Influx-style tags in the name.
        string line = await receiver.WaitForLineAsync(l => l.StartsWith("runtime.mem.heap.alloc_bytes,service=checkout:", StringComparison.Ordinal), "the Go heap figure");
        Assert.EndsWith("|g", line, StringComparison.Ordinal);
        receiver.Drain();
        // The Go set's thirteen lines do not fit one 128-byte datagram; a Unix socket queues only ten datagrams by default.
        Assert.True(receiver.Datagrams.Count > 1, $"a sample fills more than one 128-byte datagram: {string.Join(" / ", receiver.Datagrams)}");
        Assert.All(receiver.Datagrams, d => Assert.True(System.Text.Encoding.UTF8.GetByteCount(d) <= 128, $"a datagram of {d.Length} bytes"));
        string[] goNames =
        [
            "runtime.goroutines", "runtime.mem.alloc_bytes", "runtime.mem.alloc_bytes_total", "runtime.mem.sys_bytes",
            "runtime.mem.heap.alloc_bytes", "runtime.mem.heap.sys_bytes", "runtime.mem.heap.idle_bytes", "runtime.mem.heap.inuse_bytes",
            "runtime.gc.last_finished_ts", "runtime.gc.pause_total_ns", "runtime.gc.pause_ns", "runtime.gc.count", "runtime.gc.cpu_use",
        ];
        Assert.Equal(goNames, receiver.Lines.Where(l => l.StartsWith("runtime.", StringComparison.Ordinal)).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task Code_Settings_Apply_After_Configuration()
    {
        using DatagramReceiver receiver = DatagramReceiver.Udp();
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Interval"] = "01:00:00",
                ["RuntimeProfiler:Sinks:StatsD:Url"] = "udp://192.0.2.1:8125",
                ["RuntimeProfiler:Sinks:StatsD:Dialect"] = "Etsy",
            },
            services => services.AddRuntimeProfiler(b => b.AddStatsD(o =>
            {
                o.Url = new Uri($"udp://127.0.0.1:{receiver.Port}");
                o.Dialect = StatsDDialect.DogStatsD;
                o.GlobalTags["team"] = "payments";
            })));
        await host.StartAsync();
        await host.StopAsync();
        await receiver.WaitForLineAsync(l => l == $"dotnet.process.cpu.count:{Environment.ProcessorCount}|g|#team:payments", "the processor count");
    }

    [Fact]
    public async Task Configuration_Can_Switch_Off_The_Sink_Added_In_Code()
    {
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:StatsD:Enabled"] = "false", ["RuntimeProfiler:Sinks:Meter:Enabled"] = "true" },
            services => services.AddRuntimeProfiler(b => b.AddStatsD()));
        await host.StartAsync();
        Assert.Empty(HostFixture.HostedService(host).Running.Select(s => s.Sink).OfType<StatsDSink>());
        await host.StopAsync();
    }

    [Fact]
    public void Every_Setting_Binds_From_Configuration()
    {
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Sinks:StatsD:Url"] = "unix:///var/run/datadog/dsd.socket",
                ["RuntimeProfiler:Sinks:StatsD:Host"] = "statsd.monitoring",
                ["RuntimeProfiler:Sinks:StatsD:Port"] = "9125",
                ["RuntimeProfiler:Sinks:StatsD:UnixSocketPath"] = "/run/statsd.sock",
                ["RuntimeProfiler:Sinks:StatsD:Dialect"] = "dogstatsd",
                ["RuntimeProfiler:Sinks:StatsD:Naming"] = "original",
                ["RuntimeProfiler:Sinks:StatsD:Prefix"] = "checkout",
                ["RuntimeProfiler:Sinks:StatsD:GlobalTags:team"] = "payments",
                ["RuntimeProfiler:Sinks:StatsD:MaxDatagramBytes"] = "4096",
                ["RuntimeProfiler:Sinks:StatsD:EndpointRefreshInterval"] = "00:01:00",
                ["RuntimeProfiler:Sinks:StatsD:ReadDatadogEnvironment"] = "false",
            },
            services => services.AddRuntimeProfiler());
        StatsDSinkOptions options = host.Services.GetRequiredService<IOptions<StatsDSinkOptions>>().Value;
        Assert.Equal(new Uri("unix:///var/run/datadog/dsd.socket"), options.Url);
        Assert.Equal("statsd.monitoring", options.Host);
        Assert.Equal(9125, options.Port);
        Assert.Equal("/run/statsd.sock", options.UnixSocketPath);
        Assert.Equal(StatsDDialect.DogStatsD, options.Dialect);
        Assert.Equal(MetricNaming.Original, options.Naming);
        Assert.Equal("checkout", options.Prefix);
        Assert.Equal("payments", Assert.Single(options.GlobalTags, t => t.Key == "team").Value);
        Assert.Single(options.GlobalTags);
        Assert.Equal(4096, options.MaxDatagramBytes);
        Assert.Equal(TimeSpan.FromMinutes(1), options.EndpointRefreshInterval);
    }

    [Fact]
    public void An_Empty_Url_Or_Socket_Path_Clears_What_An_Earlier_Source_Set()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RuntimeProfiler:Sinks:StatsD:Url"] = "udp://statsd:8125",
            ["RuntimeProfiler:Sinks:StatsD:UnixSocketPath"] = "/run/statsd.sock",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RuntimeProfiler:Sinks:StatsD:Url"] = string.Empty,
            ["RuntimeProfiler:Sinks:StatsD:UnixSocketPath"] = string.Empty,
            ["RuntimeProfiler:Sinks:StatsD:Host"] = "agent",
        });
        builder.Services.AddRuntimeProfiler();
        using IHost host = builder.Build();
        StatsDSinkOptions options = host.Services.GetRequiredService<IOptions<StatsDSinkOptions>>().Value;
        Assert.Null(options.Url);
        Assert.Null(options.UnixSocketPath);
        Assert.Equal("agent", options.Host);
        Assert.Empty(StatsDSinkSetup.Validate(host.Services));
    }

    /// <summary>Takes one real sample, to hand to a sink outside a profiler.</summary>
    private sealed class SnapshotCatcher : IRuntimeMetricsSink
    {
        private RuntimeSnapshot? _snapshot;

        public static async Task<RuntimeSnapshot> TakeOneAsync()
        {
            var catcher = new SnapshotCatcher();
            await using (var profiler = new RuntimeProfiler(catcher, TimeSpan.FromHours(1)))
            {
                profiler.Start();
                await profiler.StopAsync();
            }

            return Assert.IsType<RuntimeSnapshot>(catcher._snapshot);
        }

        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
        {
            _snapshot = snapshot;
            return default;
        }
    }
}
