using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Tests.Collection;

/// <summary>The pause histogram and the collection list as a sink receives them from a running profiler.</summary>
[Collection(SerialTestGroup.Name)]
public sealed class RuntimeProfilerPauseTests
{
    [Fact]
    public async Task A_Burst_Between_Two_Ticks_Reaches_The_Sink_With_Every_Collection_Counted_Or_Missed()
    {
        var sink = new PauseSink();
        await using var harness = new ProfilerTestHarness(sink);
        harness.Profiler.Start();
        await harness.TickAsync();

        for (int i = 0; i < 300; i++)
        {
            GC.Collect(i % 3, GCCollectionMode.Forced, blocking: true, compacting: i % 5 == 0);
        }

        // See GcPauseCaptureTests: a generation 2 collection lost in the burst is settled by the next one.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        await harness.TickAsync();

        PauseSample sample = sink.Samples[1];
        Assert.Equal(sample.Collections, sample.Count + sample.MissedDelta);
        Assert.True(sample.Collections >= 301);
        Assert.Equal(sample.Count, sample.Listed.Length + sample.Omitted);
        Assert.InRange(sample.Listed.Length, 1, RuntimeSnapshot.EphemeralCollectionCapacity + RuntimeSnapshot.Gen2CollectionCapacity);
        Assert.Contains(sample.Listed, c => c.Kind == GcCollectionKind.FullBlocking);

        // The runtime may turn a collection it triggers itself into a background one; those are generation 2.
        Assert.All(sample.Listed, c => Assert.True(c.Kind != GcCollectionKind.Background || c.Generation == 2));
    }

    [Fact]
    public async Task The_Histogram_Sum_Of_A_Window_Matches_The_Pause_Time_Delta()
    {
        var sink = new PauseSink();
        await using var harness = new ProfilerTestHarness(sink);
        harness.Profiler.Start();
        GC.WaitForPendingFinalizers();
        await harness.TickAsync();
        for (int i = 0; i < 60; i++)
        {
            GC.Collect(i % 3, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        await harness.TickAsync();
        PauseSample sample = sink.Samples[1];
        Assert.Equal(0, sample.MissedDelta);
        Assert.Equal(sample.Collections, sample.Count);

        // Documented tolerance: 1 ns, the rounding of seconds as doubles (both sides count whole microseconds).
        Assert.Equal(sample.PauseTimeDelta, sample.Sum, 1e-9);
        Assert.True(sample.Sum > 0);
    }

    [Fact]
    public async Task The_Last_Collection_Time_Is_When_The_Collection_Was_Observed_Not_The_Tick()
    {
        var sink = new PauseSink();
        await using var harness = new ProfilerTestHarness(sink);
        harness.Profiler.Start();
        await harness.TickAsync();
        DateTimeOffset observed = harness.Clock.GetUtcNow();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();

        // The sentinel observed the collection at the clock's current time; the tick is one interval later.
        await harness.TickAsync();
        PauseSample sample = sink.Samples[1];
        Assert.Equal((observed - DateTimeOffset.UnixEpoch).TotalSeconds, sample.LastCollectionTime, 6);
        Assert.Equal(observed, sample.Listed[^1].ObservedAt);
        Assert.NotEqual(harness.Clock.GetUtcNow(), sample.Listed[^1].ObservedAt);
    }

    [Fact]
    public async Task Stopping_The_Profiler_While_Collections_Run_Completes_And_Releases_The_Capture()
    {
        using var stop = new CancellationTokenSource();
        Task collector = AllocationLoad.Run(stop.Token);

        var sink = new PauseSink();
        var sampler = new RuntimeSampler(TimeProvider.System);
        var options = new RuntimeProfilerOptions { Interval = RuntimeProfiler.MinimumInterval };
        options.Sinks.Add(sink);
        var profiler = new RuntimeProfiler(options, TimeProvider.System, sampler);
        try
        {
            for (int i = 0; i < 20; i++)
            {
                profiler.Start();
                await Task.Yield();
                await profiler.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.False(sampler.Pauses.IsRunning);
            }
        }
        finally
        {
            await profiler.DisposeAsync();
            await stop.CancelAsync();
            await collector.WaitAsync(TimeSpan.FromSeconds(60));
        }

        Assert.Null(sampler.Pauses.CurrentArm);
        Assert.True(sink.Samples.Count >= 20, "every stop flushes a sample");

        // Counts, histogram and missed come from one cut, and collections while stopped count as missed at
        // restart: every window adds up, stopped time included.
        Assert.All(sink.Samples, s => Assert.Equal(s.Collections, s.Count + s.MissedDelta));
    }

    private sealed record PauseSample(long Collections, long Count, double Sum, long MissedDelta, double PauseTimeDelta, double LastCollectionTime, GcCollectionInfo[] Listed, long Omitted);

    private sealed class PauseSink : IRuntimeMetricsSink
    {
        private readonly Lock _lock = new();
        private readonly List<PauseSample> _samples = [];

        public IReadOnlyList<PauseSample> Samples
        {
            get
            {
                lock (_lock)
                {
                    return [.. _samples];
                }
            }
        }

        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
        {
            long count = 0;
            double sum = 0;
            foreach (MetricSeries series in RuntimeMetricCatalog.Series.Where(s => s.Kind == MetricKind.Histogram))
            {
                Assert.True(snapshot.TryGetHistogram(series, out HistogramSnapshot? histogram));
                count += histogram.Count;
                sum += histogram.Sum;
                Assert.Equal(histogram.Count, histogram.BucketCounts.ToArray().Sum());
            }

            double Delta(MetricId id) => snapshot.Deltas[(int)id];
            var sample = new PauseSample(
                (long)(Delta(MetricId.GcCollectionsGen0) + Delta(MetricId.GcCollectionsGen1) + Delta(MetricId.GcCollectionsGen2)),
                count,
                sum,
                (long)Delta(MetricId.GcPauseMissed),
                Delta(MetricId.GcPauseTime),
                snapshot.Values[(int)MetricId.GcLastCollectionTime],
                snapshot.Collections.ToArray(),
                snapshot.CollectionsOmitted);
            lock (_lock)
            {
                _samples.Add(sample);
            }

            return ValueTask.CompletedTask;
        }
    }
}
