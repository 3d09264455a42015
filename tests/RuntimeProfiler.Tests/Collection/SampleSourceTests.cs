using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Collection;

/// <summary>The profiler loop over a source other than this process (the seam the CLI's attach uses).</summary>
public sealed class SampleSourceTests
{
    [Fact]
    public async Task The_Profiler_Ships_What_Its_Source_Reads_With_Per_Sink_Deltas_And_Its_Own_Figures()
    {
        var clock = new FakeTimeProvider();
        var source = new HardcodedSampleSource(clock);
        source.Set(MetricId.GcCollectionsGen2, 5);
        source.Set(MetricId.ProcessWorkingSet, 1_000_000);
        var sink = new CollectingSink();
        var scheduled = new SemaphoreSlim(0);
        var options = new RuntimeProfilerOptions { Interval = TimeSpan.FromSeconds(1) };
        options.Sinks.Add(sink);
        var profiler = new RuntimeProfiler(options, clock, source) { TickScheduled = scheduled };

        profiler.Start();
        source.Set(MetricId.GcCollectionsGen2, 8);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await scheduled.WaitAsync(TimeSpan.FromSeconds(30)));
        await profiler.DisposeAsync();

        CollectedSample first = sink.Samples[0];
        Assert.Equal(8, first.Value(MetricId.GcCollectionsGen2));
        Assert.Equal(3, first.Delta(MetricId.GcCollectionsGen2));
        Assert.Equal(1_000_000, first.Value(MetricId.ProcessWorkingSet));
        Assert.True(double.IsNaN(first.Value(MetricId.GcHeapSize)), "A figure the source lacks stays absent.");
        Assert.Equal(0, first.Value(MetricId.ProfilerSinkErrors));
        Assert.Equal((1, 1), (source.Starts, source.Stops));
        Assert.True(source.Disposed, "The profiler owns its source.");
    }
}
