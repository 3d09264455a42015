using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Collection;

public sealed class RuntimeProfilerTests
{
    [Fact]
    public void Constructor_Throws_Naming_The_Sink_When_Sink_Is_Null()
    {
        ArgumentNullException e = Assert.Throws<ArgumentNullException>(() => new RuntimeProfiler((IRuntimeMetricsSink)null!, TimeSpan.FromSeconds(1)));
        Assert.Equal("sink", e.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1_000)]
    [InlineData(9)]
    [InlineData(86_400_001)]
    public void Constructor_Throws_Naming_The_Interval_When_It_Is_Out_Of_Range(long milliseconds)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new RuntimeProfiler(new CollectingSink(), TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal("interval", e.ParamName);
        Assert.Contains("10 ms", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Throws_When_Interval_Is_Infinite()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new RuntimeProfiler(new CollectingSink(), Timeout.InfiniteTimeSpan));
        Assert.Equal("interval", e.ParamName);
    }

    [Fact]
    public async Task Constructor_Accepts_The_Bounds_Of_The_Interval_Range()
    {
        await using var shortest = new RuntimeProfiler(new CollectingSink(), RuntimeProfiler.MinimumInterval);
        await using var longest = new RuntimeProfiler(new CollectingSink(), RuntimeProfiler.MaximumInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(10), shortest.Interval);
        Assert.Equal(TimeSpan.FromDays(1), longest.Interval);
    }

    [Fact]
    public void Constructor_Throws_Naming_The_Sinks_When_A_Sink_Is_Null_Or_None_Given()
    {
        Assert.Equal("sinks", Assert.Throws<ArgumentNullException>(() => new RuntimeProfiler((IEnumerable<IRuntimeMetricsSink>)null!, TimeSpan.FromSeconds(1))).ParamName);
        Assert.Equal("sinks", Assert.Throws<ArgumentException>(() => new RuntimeProfiler([], TimeSpan.FromSeconds(1))).ParamName);
        Assert.Equal("sinks", Assert.Throws<ArgumentException>(() => new RuntimeProfiler([new CollectingSink(), null!], TimeSpan.FromSeconds(1))).ParamName);
    }

    [Fact]
    public void Constructor_Validates_Options_Naming_The_Option()
    {
        var noSinks = new RuntimeProfilerOptions();
        Assert.Equal("Sinks", Assert.Throws<ArgumentException>(() => new RuntimeProfiler(noSinks)).ParamName);

        var badTimeout = new RuntimeProfilerOptions { StopTimeout = TimeSpan.FromSeconds(-1) };
        badTimeout.Sinks.Add(new CollectingSink());
        Assert.Equal("StopTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new RuntimeProfiler(badTimeout)).ParamName);

        var badInterval = new RuntimeProfilerOptions { Interval = TimeSpan.Zero };
        badInterval.Sinks.Add(new CollectingSink());
        Assert.Equal("Interval", Assert.Throws<ArgumentOutOfRangeException>(() => new RuntimeProfiler(badInterval)).ParamName);
    }

    [Fact]
    public async Task Start_Twice_Runs_One_Loop()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, sink);
        harness.Profiler.Start();
        harness.Profiler.Start();
        await harness.TickAsync();
        await harness.TickAsync();
        await harness.Profiler.StopAsync();

        Assert.Equal([1L, 2L], sink.Samples.Select(s => s.Sequence));
        Assert.Equal(0, sink.ConcurrentCalls);
    }

    [Fact]
    public async Task StopAsync_Twice_And_Before_Start_Does_Not_Throw()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(sink);
        await harness.Profiler.StopAsync();
        harness.Profiler.Start();
        Task first = harness.Profiler.StopAsync();
        Task second = harness.Profiler.StopAsync();
        await Task.WhenAll(first, second);
        await harness.Profiler.StopAsync();
        Assert.False(harness.Profiler.IsRunning);
    }

    [Fact]
    public async Task Dispose_Twice_Does_Not_Throw_And_Start_After_Dispose_Throws()
    {
        var sink = new CollectingSink();
        var harness = new ProfilerTestHarness(sink);
        harness.Profiler.Start();
        harness.Profiler.Dispose();
        harness.Profiler.Dispose();
        await harness.Profiler.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(harness.Profiler.Start);
        await harness.DisposeAsync();
    }

    [Fact]
    public async Task StopAsync_Flushes_A_Last_Sample_Covering_The_Partial_Interval()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(sink);
        harness.Profiler.Start();
        await harness.TickAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(4));
        await harness.Profiler.StopAsync();

        Assert.Equal(2, sink.Count);
        CollectedSample last = sink.Samples[^1];
        Assert.Equal(2, last.Sequence);
        Assert.Equal(TimeSpan.FromSeconds(4), last.Elapsed);
    }

    [Fact]
    public async Task StopAsync_Without_Flush_Sends_Nothing_More()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, sink);
        harness.Profiler.Start();
        harness.Clock.Advance(TimeSpan.FromSeconds(4));
        await harness.Profiler.StopAsync();
        Assert.Equal(0, sink.Count);
    }

    [Fact]
    public async Task Start_After_Stop_Restarts_And_Deltas_Cover_The_Stopped_Time()
    {
        var sink = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, sink);
        harness.Profiler.Start();
        await harness.TickAsync();
        await harness.Profiler.StopAsync();
        Assert.False(harness.Profiler.IsRunning);

        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        harness.Profiler.Start();
        Assert.True(harness.Profiler.IsRunning);
        await harness.TickAsync();
        await harness.Profiler.StopAsync();

        Assert.Equal([1L, 2L], sink.Samples.Select(s => s.Sequence));
        Assert.Equal(TimeSpan.FromMinutes(5) + ProfilerTestHarness.Interval, sink.Samples[1].Elapsed);
        double before = sink.Samples[0].Value(MetricId.GcHeapTotalAllocated);
        double after = sink.Samples[1].Value(MetricId.GcHeapTotalAllocated);
        Assert.Equal(after - before, sink.Samples[1].Delta(MetricId.GcHeapTotalAllocated));
    }

    [Fact]
    public async Task At_A_10_Ms_Interval_Batches_Reach_The_Sink_In_Order_With_Nothing_Lost_And_The_Last_At_Stop()
    {
        var sink = new CollectingSink();
        await using var profiler = new RuntimeProfiler(sink, TimeSpan.FromMilliseconds(10));
        profiler.Start();
        await sink.WaitForAsync(25);
        DateTimeOffset stopping = DateTimeOffset.UtcNow;
        await profiler.StopAsync();

        // Each sample was delivered or counted as skipped; one skipped is covered by the next one's deltas. The last
        // is the one read at stop, though it did not fill a batch.
        IReadOnlyList<CollectedSample> samples = sink.Samples;
        Assert.True(samples[^1].Timestamp >= stopping, $"the last sample, of {samples[^1].Timestamp:O}, was read before the stop at {stopping:O}");
        Assert.True(samples.Zip(samples.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "delivered out of order");
        Assert.Equal(samples[^1].Sequence, samples.Count + profiler.SinkSkipped);
        double allocated = samples.Skip(1).Sum(s => s.Delta(MetricId.GcHeapTotalAllocated));
        Assert.Equal(samples[^1].Value(MetricId.GcHeapTotalAllocated) - samples[0].Value(MetricId.GcHeapTotalAllocated), allocated);
        Assert.Equal(0, sink.ConcurrentCalls);
    }

    [Fact]
    public async Task Dispose_While_A_Sink_Is_Writing_Returns_After_The_Stop_Timeout_And_Throws_Nothing()
    {
        using var blocking = new BlockingSink();
        var options = new RuntimeProfilerOptions { Interval = TimeSpan.FromMilliseconds(10), StopTimeout = TimeSpan.FromMilliseconds(100) };
        options.Sinks.Add(blocking);
        var profiler = new RuntimeProfiler(options);
        profiler.Start();
        await blocking.WaitEnteredAsync();

        // The sink is stuck inside WriteAsync; disposing must neither throw nor wait for it beyond the timeout.
        await profiler.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(profiler.IsRunning);
        blocking.Release();
    }
}
