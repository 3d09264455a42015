using System.Text.Json;
using RuntimeProfiling.Cli;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>The sink against Etsy's real StatsD daemon: values read back from what the daemon flushes to graphite.</summary>
public sealed class StatsDDaemonTests
{
    private static readonly TimeSpan s_flush = TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData(StatsDDialect.Etsy)]
    [InlineData(StatsDDialect.DogStatsD)]
    public async Task Every_Gauge_Equals_The_Sample_And_Every_Counter_Sums_To_Its_Total_Change(StatsDDialect dialect)
    {
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        var options = new StatsDSinkOptions { Port = daemon.Port, Dialect = dialect };
        (string, string)[] tags = [];
        if (dialect == StatsDDialect.DogStatsD)
        {
            options.GlobalTags["service"] = "checkout";
            options.GlobalTags["env"] = "test";
            tags = [("service", "checkout"), ("env", "test")];
        }

        using var statsd = new RecordingStatsDSink(new StatsDSink(options));
        await ProfileAsync(statsd);

        await graphite.WaitForAsync(g => g.Sum("stats.counters.statsd.packets_received.count") >= statsd.Inner.Health.Datagrams, "every datagram to be flushed");
        Assert.Equal(statsd.Inner.Health.Datagrams, graphite.Sum("stats.counters.statsd.packets_received.count"));
        Assert.Equal(0, graphite.Sum("stats.counters.statsd.bad_lines_seen.count"));
        Assert.Equal(0, statsd.Inner.Health.Dropped);

        IReadOnlyList<CollectedSample> samples = statsd.Samples;
        Assert.True(samples.Count >= 3, $"only {samples.Count} samples");
        CollectedSample last = samples[^1];
        int gauges = 0;
        int counters = 0;
        foreach (MetricSeries series in RuntimeMetricCatalog.Series)
        {
            if (series.Kind == MetricKind.Gauge && double.IsFinite(last.Value(series.Id)))
            {
                (string path, string tag) = StatsDKeys.Of(series, dialect, "gauges", tags);
                Assert.True(last.Value(series.Id) == graphite.Last(path, tag), $"{path}{tag}: sent {last.Value(series.Id)}, the daemon has {graphite.Last(path, tag)}");
                gauges++;
            }
            else if (series.Kind == MetricKind.Counter)
            {
                double change = samples.Select(s => s.Delta(series.Id)).Where(double.IsFinite).Sum();
                (string path, string tag) = StatsDKeys.Of(series, dialect, "counters", tags);
                double received = graphite.Sum(path, tag);
                Assert.True(Math.Abs(change - received) <= 1e-9 * Math.Max(1, Math.Abs(change)), $"{path}{tag}: the samples changed by {change}, the daemon counted {received}");
                counters++;
            }
        }

        Assert.True(gauges >= 20, $"{gauges} gauges compared");
        Assert.True(counters >= 20, $"{counters} counters compared");
    }

    [Fact]
    public async Task Etsy_Timers_Hold_The_Exact_Count_Sum_Minimum_And_Maximum_Of_The_Pauses()
    {
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        using var sink = new StatsDSink(new StatsDSinkOptions { Port = daemon.Port });
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        SetWindow(snapshot, "gen0", "ephemeral", count: 7, sum: 0.0029, min: 0.00012, max: 0.00093, (4, 3), (5, 2), (6, 2));
        SetWindow(snapshot, "gen1", "ephemeral", count: 1500, sum: 1.5, min: 0.0006, max: 0.0014, (6, 900), (7, 600));
        await sink.WriteAsync(snapshot, CancellationToken.None);

        await graphite.WaitForAsync(g => g.Sum("stats.counters.statsd.packets_received.count") >= sink.Health.Datagrams, "every datagram to be flushed");
        const string Gen0 = "stats.timers.dotnet.gc.pause.duration.gen0.ephemeral";
        Assert.Equal(7, graphite.Sum(Gen0 + ".count"));
        Assert.Equal(2.9, graphite.Sum(Gen0 + ".sum"), 1e-9);
        Assert.Equal(0.12, graphite.Last(Gen0 + ".lower"));
        Assert.Equal(0.93, graphite.Last(Gen0 + ".upper"));

        // Beyond 1000 values a series goes on with sample rates: the daemon's count stays exact.
        const string Gen1 = "stats.timers.dotnet.gc.pause.duration.gen1.ephemeral";
        Assert.Equal(1500, graphite.Sum(Gen1 + ".count"));
        Assert.Equal(0.6, graphite.Last(Gen1 + ".lower"));
        Assert.Equal(1.4, graphite.Last(Gen1 + ".upper"));
    }

    [Fact]
    public async Task DogStatsD_Distributions_Carry_The_Exact_Count_And_Sum_Through_Their_Sample_Rates()
    {
        // Etsy's daemon treats the unknown type |d like a counter, value times 1/rate: the sum of the pauses.
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        using var sink = new StatsDSink(new StatsDSinkOptions { Port = daemon.Port, Dialect = StatsDDialect.DogStatsD });
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        SetWindow(snapshot, "gen1", "ephemeral", count: 1500, sum: 1.5, min: 0.0006, max: 0.0014, (6, 900), (7, 600));
        await sink.WriteAsync(snapshot, CancellationToken.None);

        await graphite.WaitForAsync(g => g.Sum("stats.counters.statsd.packets_received.count") >= sink.Health.Datagrams, "every datagram to be flushed");
        double sum = graphite.Sum("stats.counters.dotnet.gc.pause.duration.count", ";gc.heap.generation=gen1;gc.collection.kind=ephemeral");
        Assert.Equal(1.5, sum, 1500 * 0.5e-9);
    }

    [Fact]
    public async Task A_Unix_Datagram_Socket_Bridged_To_The_Daemon_Delivers_Every_Figure()
    {
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        using var path = new TempSocketPath();
        await using SocatBridge bridge = await SocatBridge.StartAsync(path, daemon.Port);
        using var sink = new StatsDSink(new StatsDSinkOptions { UnixSocketPath = path, Dialect = StatsDDialect.DogStatsD });
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        await sink.WriteAsync(snapshot, CancellationToken.None);

        await graphite.WaitForAsync(g => g.Sum("stats.counters.statsd.packets_received.count") >= sink.Health.Datagrams, "every datagram to be flushed");
        Assert.Equal(1, sink.Health.Datagrams);
        Assert.Equal(52_428_800, graphite.Last("stats.gauges.dotnet.gc.heap.size"));
        Assert.Equal(30, graphite.Sum("stats.counters.dotnet.gc.collections.count", ";gc.heap.generation=gen0"));
        Assert.Equal(0, graphite.Sum("stats.counters.statsd.bad_lines_seen.count"));
    }

    [Fact]
    public async Task The_Demo_Command_Sends_Its_Samples_To_The_Daemon()
    {
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await CliApp.RunAsync(
            ["demo", "--interval", "200ms", "--duration", "1s", "--format", "json", "--statsd", $"udp://127.0.0.1:{daemon.Port}", "--dialect", "dogstatsd"],
            output,
            error,
            handleProcessSignals: false);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        string[] lines = output.ToString().TrimEnd('\n').Split('\n');
        double heap = double.NaN;
        using (var document = JsonDocument.Parse(lines[^1]))
        {
            heap = document.RootElement.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "dotnet.gc.heap.size").GetProperty("value").GetDouble();
        }

        await graphite.WaitForAsync(g => g.Last("stats.gauges.dotnet.gc.heap.size") == heap, "the last sample's heap size");
        Assert.True(graphite.Sum("stats.counters.dotnet.gc.heap.total_allocated.count") > 0);
    }

    private static async Task ProfileAsync(IRuntimeMetricsSink sink)
    {
        var options = new RuntimeProfilerOptions { Interval = TimeSpan.FromMilliseconds(100) };
        options.Sinks.Add(sink);
        await using var profiler = new RuntimeProfiler(options);
        profiler.Start();
        var keep = new List<byte[]>();
        for (int i = 0; i < 30; i++)
        {
            // Some allocation and some collections, so counters move.
            keep.Add(new byte[100_000]);
            if (keep.Count > 10)
            {
                keep.Clear();
            }

            await Task.Delay(40);
        }

        await profiler.StopAsync();
        GC.KeepAlive(keep);
    }

    private static void SetWindow(RuntimeSnapshot snapshot, string generation, string kind, long count, double sum, double min, double max, params (int Bucket, long Count)[] buckets)
    {
        MetricSeries series = RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", generation, kind)!;
        int h = series.HistogramIndex;
        snapshot.HasHistograms = true;
        snapshot.HistogramCountWindow[h] = count;
        snapshot.HistogramSumWindow[h] = sum;
        snapshot.HistogramMinWindow[h] = min;
        snapshot.HistogramMaxWindow[h] = max;
        foreach ((int bucket, long n) in buckets)
        {
            snapshot.HistogramBucketsWindow[(h * RuntimeSnapshot.BucketSlots) + bucket] = n;
        }
    }
}
