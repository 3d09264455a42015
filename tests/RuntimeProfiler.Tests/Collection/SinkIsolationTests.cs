using System.Collections.Concurrent;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.GaugeWriter;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Sinks.Meter;
using RuntimeProfiling.Sinks.StatsD;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Collection;

public sealed class SinkIsolationTests
{
    [Fact]
    public async Task Each_Sink_Is_Called_On_A_Thread_Of_Its_Own_And_Never_On_The_Thread_Pool()
    {
        var first = new ThreadRecordingSink();
        var second = new ThreadRecordingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, first, second);
        await RunAsync(harness, ticks: 3);

        // A pool worker woken per sample spins for more work before it sleeps: that cost the host more than the samples.
        Assert.All(first.Calls.Concat(second.Calls), c => Assert.False(c.IsPoolThread));
        Assert.All(first.Calls.Concat(second.Calls), c => Assert.Equal("RtProfiler sink", c.Name));
        Assert.Single(first.Calls.Select(c => c.ThreadId).Distinct());
        Assert.Single(second.Calls.Select(c => c.ThreadId).Distinct());
        Assert.NotEqual(first.Calls[0].ThreadId, second.Calls[0].ThreadId);
    }

    [Fact]
    public async Task Built_In_Sinks_That_Never_Wait_Are_Written_On_The_Sampling_Thread_And_Others_On_Their_Own()
    {
        var transport = new FakeStatsDTransport();
        using var statsD = new StatsDSink(new StatsDSinkOptions(), TimeProvider.System, _ => transport);
        var other = new ThreadRecordingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, statsD, other);
        await RunAsync(harness, ticks: 3);

        // Waking a thread for a write that never waits costs more than the write: the sampling thread makes it.
        Assert.NotEmpty(transport.SendThreads);
        Assert.All(transport.SendThreads, name => Assert.Equal("RtProfiler", name));
        Assert.Equal(3, other.Calls.Count);
        Assert.All(other.Calls, c => Assert.Equal("RtProfiler sink", c.Name));
    }

    [Fact]
    public void Only_The_Built_In_Sinks_That_Never_Wait_Are_Written_Inline()
    {
        using var meter = new MeterSink();
        using var statsD = new StatsDSink(new StatsDSinkOptions(), TimeProvider.System, _ => new FakeStatsDTransport());
        IRuntimeMetricsSink[] inline = [meter, statsD];
        IRuntimeMetricsSink[] threaded = [new JsonLinesSink(Stream.Null), new ConsoleSink(TextWriter.Null), new GaugeWriterSink(new NullGaugeWriter()), new CollectingSink()];
        Assert.All(inline, sink => Assert.True(new SinkLane(sink, (_, _, _) => { }).IsInline, sink.GetType().Name));
        Assert.All(threaded, sink => Assert.False(new SinkLane(sink, (_, _, _) => { }).IsInline, sink.GetType().Name));
    }

    [Fact]
    public async Task A_Throwing_Sink_Is_Counted_And_Reported_And_The_Others_Still_Receive_Every_Sample()
    {
        var throwing = new ThrowingSink();
        var collecting = new CollectingSink();
        var reported = new ConcurrentQueue<(IRuntimeMetricsSink Sink, Exception Error)>();
        await using var harness = new ProfilerTestHarness(o => { o.FlushOnStop = false; o.OnSinkError = (s, e) => reported.Enqueue((s, e)); }, throwing, collecting);
        await RunAsync(harness, ticks: 3);
        Assert.Equal(3, collecting.Count);
        Assert.Equal(3, throwing.Calls);
        Assert.Equal(3, harness.Profiler.SinkErrors);
        Assert.Equal(3, reported.Count);
        Assert.All(reported, r => Assert.Same(throwing, r.Sink));
        Assert.All(reported, r => Assert.IsType<InvalidOperationException>(r.Error));
    }

    [Fact]
    public async Task A_Callback_That_Throws_Changes_Nothing_For_The_Sinks()
    {
        var throwing = new ThrowingSink();
        var collecting = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => { o.FlushOnStop = false; o.OnSinkError = (_, _) => throw new InvalidOperationException("callback"); }, throwing, collecting);
        await RunAsync(harness, ticks: 2);
        Assert.Equal(2, collecting.Count);
        Assert.Equal(2, harness.Profiler.SinkErrors);
    }

    [Fact]
    public async Task A_Blocked_Sink_Skips_Samples_Without_Holding_Up_The_Others_And_Then_Catches_Up()
    {
        using var blocking = new BlockingSink();
        var collecting = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, blocking, collecting);
        harness.Profiler.Start();
        for (int i = 0; i < 4; i++)
        {
            await harness.TickAsync(waitForSinks: false);
            await harness.Profiler.WhenSinkIdleAsync(collecting).WaitAsync(TimeSpan.FromSeconds(30));
        }

        await blocking.WaitEnteredAsync();
        Assert.Equal(4, collecting.Count);

        // The second sample waits behind the blocked write; the third and fourth are skipped.
        Assert.Equal(1, blocking.Calls);
        Assert.Equal(2, harness.Profiler.SinkSkipped);

        // Released, the sink writes the one that waited, then gets the next sample.
        blocking.Release();
        await harness.Profiler.WhenSinksIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, blocking.Calls);
        await harness.TickAsync();
        await collecting.WaitForAsync(5);
        await harness.Profiler.StopAsync();
        Assert.Equal(3, blocking.Calls);
        Assert.Equal(5, collecting.Count);
    }

    [Fact]
    public async Task A_Sink_That_Skipped_Receives_Deltas_Covering_Everything_Since_Its_Last_Sample()
    {
        using var blocking = new BlockingSink();
        var recorder = new RecordingAfterBlockSink(blocking);
        await using var harness = new ProfilerTestHarness(o => o.FlushOnStop = false, recorder);
        harness.Profiler.Start();
        await harness.TickAsync(waitForSinks: false);
        await blocking.WaitEnteredAsync();

        // The second sample waits behind the blocked write; the third and fourth are skipped.
        for (int i = 0; i < 3; i++)
        {
            await harness.TickAsync(waitForSinks: false);
        }

        blocking.Release();
        await recorder.FirstDone.WaitAsync(TimeSpan.FromSeconds(30));
        await harness.Profiler.WhenSinksIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await harness.TickAsync();
        await recorder.Collected.WaitForAsync(3);
        await harness.Profiler.StopAsync();

        Assert.Equal([1L, 2L, 5L], recorder.Collected.Samples.Select(s => s.Sequence));
        CollectedSample waited = recorder.Collected.Samples[1];
        CollectedSample next = recorder.Collected.Samples[2];
        Assert.Equal(ProfilerTestHarness.Interval, waited.Elapsed);
        Assert.Equal(3 * ProfilerTestHarness.Interval, next.Elapsed);
        Assert.Equal(next.Value(MetricId.GcHeapTotalAllocated) - waited.Value(MetricId.GcHeapTotalAllocated), next.Delta(MetricId.GcHeapTotalAllocated));
        Assert.Equal(2, next.Value(MetricId.ProfilerSinkSkipped));
    }

    [Fact]
    public async Task A_Hanging_Async_Sink_Is_Cancelled_At_Stop_And_Not_Counted_As_An_Error()
    {
        var hanging = new HangingSink();
        var collecting = new CollectingSink();
        await using var harness = new ProfilerTestHarness(o => { o.FlushOnStop = false; o.StopTimeout = TimeSpan.FromSeconds(2); }, hanging, collecting);
        harness.Profiler.Start();
        await harness.TickAsync(waitForSinks: false);
        await harness.Profiler.WhenSinkIdleAsync(collecting).WaitAsync(TimeSpan.FromSeconds(30));
        await harness.TickAsync(waitForSinks: false);
        await harness.Profiler.WhenSinkIdleAsync(collecting).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, collecting.Count);

        Task stopping = harness.Profiler.StopAsync();
        while (!stopping.IsCompleted)
        {
            // The stop timeout runs on the fake clock: move it until the profiler gives up on the sink.
            harness.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(stopping, Task.Delay(10));
        }

        await stopping;
        await hanging.Cancelled.WaitAsync(TimeSpan.FromSeconds(30));
        await harness.Profiler.WhenSinksIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // The second sample, queued behind the hung write, is still handed over, with the token already cancelled.
        Assert.Equal(2, hanging.Calls);
        Assert.Equal(0, harness.Profiler.SinkErrors);
    }

    /// <summary>Blocks on its first write (through <see cref="BlockingSink"/>), collects everything it receives.</summary>
    private sealed class RecordingAfterBlockSink(BlockingSink blocking) : IRuntimeMetricsSink
    {
        private readonly TaskCompletionSource _firstDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public CollectingSink Collected { get; } = new();

        public Task FirstDone => _firstDone.Task;

        public async ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
        {
            await Collected.WriteAsync(snapshot, cancellationToken);
            if (Interlocked.Increment(ref _calls) == 1)
            {
                await blocking.WriteAsync(snapshot, cancellationToken);
                _firstDone.TrySetResult();
            }
        }
    }

    /// <summary>Starts the profiler, lets the clock bring that many ticks, and stops it.</summary>
    private static async Task RunAsync(ProfilerTestHarness harness, int ticks)
    {
        harness.Profiler.Start();
        for (int i = 0; i < ticks; i++)
        {
            await harness.TickAsync();
        }

        await harness.Profiler.StopAsync();
    }

    private sealed class NullGaugeWriter : IGaugeWriter
    {
        public void Gauge(string name, double value)
        {
        }
    }

    private sealed class ThreadRecordingSink : IRuntimeMetricsSink
    {
        private readonly ConcurrentQueue<(int ThreadId, string? Name, bool IsPoolThread)> _calls = new();

        public IReadOnlyList<(int ThreadId, string? Name, bool IsPoolThread)> Calls => [.. _calls];

        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
        {
            Thread thread = Thread.CurrentThread;
            _calls.Enqueue((thread.ManagedThreadId, thread.Name, thread.IsThreadPoolThread));
            return ValueTask.CompletedTask;
        }
    }
}
