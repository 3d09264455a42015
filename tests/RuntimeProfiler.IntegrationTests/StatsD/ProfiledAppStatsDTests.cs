using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>
/// An app that knows nothing of the profiler, profiled from outside (<c>runtime-profiler run</c>, or the startup
/// hook alone configured by environment variables), delivers its own figures to Etsy's real StatsD daemon.
/// </summary>
public sealed class ProfiledAppStatsDTests
{
    private static readonly TimeSpan s_flush = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task An_App_Under_Run_Sends_Its_Own_Collection_Counts_To_The_Daemon()
    {
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);

        // An hour's interval: only the flush at the app's exit is sent, after the app read its own counts.
        // 17 forced generation 2 collections: the CLI never collects like that, so the figures are the app's.
        await using ChildProcess cli = ChildProcess.StartDotnet(
            TestArtifacts.Cli,
            ["run", "--interval", "1h", "--names", "original", "--statsd", $"udp://127.0.0.1:{daemon.Port}", "--", "dotnet", TestArtifacts.SampleApp, "gc", "3", "2", "17", "4"]);

        Assert.Equal(4, await cli.WaitForExitAsync());
        await AssertAppCountsArriveAsync(graphite, cli.Output);
    }

    [Fact]
    public async Task The_Startup_Hook_Alone_Sends_The_Apps_Own_Collection_Counts_To_The_Daemon()
    {
        await using var graphite = new GraphiteCapture();
        await using StatsDDaemon daemon = await StatsDDaemon.StartAsync(graphite, s_flush);
        await using ChildProcess app = ChildProcess.StartDotnet(TestArtifacts.SampleApp, ["gc", "3", "2", "17"], new Dictionary<string, string?>
        {
            ["DOTNET_STARTUP_HOOKS"] = TestArtifacts.StartupHook,
            ["RUNTIMEPROFILER_STATSD"] = $"udp://127.0.0.1:{daemon.Port}",
            ["RUNTIMEPROFILER_STATSD_DIALECT"] = "dogstatsd",
            ["RUNTIMEPROFILER_NAMES"] = "original",
            ["RUNTIMEPROFILER_INTERVAL"] = "1h",
        });

        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.Equal("sample: a line on stderr", app.Error);
        await AssertAppCountsArriveAsync(graphite, app.Output);
    }

    private static async Task AssertAppCountsArriveAsync(GraphiteCapture graphite, string appOutput)
    {
        string[] output = appOutput.Split('\n');
        Assert.StartsWith("collections ", output[1], StringComparison.Ordinal);
        (long gen0, long gen1, long gen2) = JsonSamples.FromAppLine(output[1]);
        Assert.Equal(17, gen2);

        // The original's runtime.gc.count is every collection of the app.
        long total = gen0 + gen1 + gen2;
        await graphite.WaitForAsync(g => g.Last("stats.gauges.runtime.gc.count") == total, $"runtime.gc.count = {total}, the app's own count");
        Assert.True(graphite.Last("stats.gauges.runtime.mem.heap.alloc_bytes") > 0);
        Assert.Equal(0, graphite.Sum("stats.counters.statsd.bad_lines_seen.count"));
    }
}
