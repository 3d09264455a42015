using RuntimeProfiling.Model;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Collection;

public sealed class RuntimeProfilerTickTests
{
    private static readonly TimeSpan s_interval = ProfilerTestHarness.Interval;

    [Fact]
    public async Task Ticks_Deliver_One_Sample_Per_Interval_With_Consecutive_Sequence_Numbers()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, sink);
        harness.Profiler.Start();
        for (int i = 0; i < 5; i++)
        {
            await harness.TickAsync();
        }

        await harness.Profiler.StopAsync();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], sink.Samples.Select(s => s.Sequence));
        Assert.All(sink.Samples, s => Assert.Equal(s_interval, s.Elapsed));
        Assert.Equal(0, harness.Profiler.TicksSkipped);
    }

    [Fact]
    public async Task Ticks_Do_Not_Drift_When_A_Tick_Runs_Late()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, sink);
        harness.Profiler.Start();

        // The first tick runs 3 s late (at 13 s); the second must still come at 20 s, not at 23 s.
        await harness.AdvanceAndWaitForTickAsync(s_interval + TimeSpan.FromSeconds(3));
        await harness.AdvanceAndWaitForTickAsync(TimeSpan.FromSeconds(7));
        await harness.AdvanceAndWaitForTickAsync(s_interval);
        await harness.Profiler.StopAsync();

        TimeSpan[] offsets = [.. sink.Samples.Select(s => s.Timestamp - harness.Clock.Start)];
        Assert.Equal([TimeSpan.FromSeconds(13), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30)], offsets);
        Assert.Equal(0, harness.Profiler.TicksSkipped);
    }

    [Fact]
    public async Task Ticks_Missed_While_Late_Are_Skipped_And_Counted_Not_Queued()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, sink);
        harness.Profiler.Start();

        // Ticks at 10, 20 and 30 s are due; the thread wakes once at 35 s: one sample, two skipped.
        await harness.AdvanceAndWaitForTickAsync(TimeSpan.FromSeconds(35));
        Assert.Equal(2, harness.Profiler.TicksSkipped);

        // The next tick is back on the grid, at 40 s, and reports the skips.
        await harness.AdvanceAndWaitForTickAsync(TimeSpan.FromSeconds(5));
        await sink.WaitForAsync(2);
        await harness.Profiler.StopAsync();

        Assert.Equal(2, sink.Count);
        Assert.Equal(TimeSpan.FromSeconds(40), sink.Samples[1].Timestamp - harness.Clock.Start);
        Assert.Equal(2, sink.Samples[1].Value(MetricId.ProfilerTicksSkipped));
        Assert.Equal(2, sink.Samples[1].Delta(MetricId.ProfilerTicksSkipped));
    }

    [Fact]
    public async Task Counter_Deltas_Equal_The_Change_Of_The_Totals_And_Gauges_Have_None()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, sink);
        harness.Profiler.Start();
        for (int i = 0; i < 3; i++)
        {
            _ = new byte[100_000];
            await harness.TickAsync();
        }

        await harness.Profiler.StopAsync();
        IReadOnlyList<CollectedSample> samples = sink.Samples;
        foreach (MetricSeries series in RuntimeMetricCatalog.Series)
        {
            for (int i = 1; i < samples.Count; i++)
            {
                double delta = samples[i].Deltas[series.Index];
                if (series.Kind == MetricKind.Counter && !double.IsNaN(samples[i].Values[series.Index]))
                {
                    Assert.True(delta >= 0, $"{series} has a negative delta");
                    Assert.Equal(samples[i].Values[series.Index] - samples[i - 1].Values[series.Index], delta, 9);
                }
                else
                {
                    Assert.True(double.IsNaN(delta), $"{series} is not a counter but has a delta");
                }
            }
        }
    }

    [Fact]
    public async Task Sample_Timestamps_Come_From_The_Time_Provider()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, sink);
        harness.Profiler.Start();
        await harness.TickAsync();
        await harness.Profiler.StopAsync();
        Assert.Equal(harness.Clock.Start + s_interval, sink.Samples[0].Timestamp);
    }
}
