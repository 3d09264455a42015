using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Collection;

/// <content>Batched delivery at intervals shorter than <see cref="SinkLane.MaxDeliveryDelay"/>.</content>
public sealed partial class SinkLaneTests
{
    [Theory]
    [InlineData(10, 10)]
    [InlineData(30, 4)]
    [InlineData(99, 2)]
    [InlineData(100, 1)]
    [InlineData(1000, 1)]
    public void Samples_Are_Batched_Only_At_Intervals_Shorter_Than_The_Delivery_Delay(int intervalMs, int batch) =>
        Assert.Equal(batch, new SinkLane(new CollectingSink(), (_, e, _) => throw e, TimeSpan.FromMilliseconds(intervalMs)).Batch);

    [Fact]
    public void A_Sink_Written_On_The_Offering_Thread_Is_Not_Batched() =>
        Assert.Equal(1, new SinkLane(new NonBlockingSink(), (_, e, _) => throw e, TimeSpan.FromMilliseconds(10)).Batch);

    [Fact]
    public async Task A_Batch_Wakes_Delivery_Only_When_Full_And_Arrives_In_Order_With_A_Window_Per_Sample()
    {
        var sink = new CollectingSink();
        SinkLane lane = Primed(sink, 10);
        using var delivering = new StopsDelivery(lane);

        Offer(lane, 1, lane.Batch - 1);

        // Short of a batch nothing is woken: no delivery thread has even started.
        Assert.True(lane.IsBusy);
        Assert.False(lane.HasDeliveryThread);
        Assert.Equal(0, sink.Count);

        Assert.True(lane.TryOffer(Counted(lane.Batch), CancellationToken.None));
        await sink.WaitForAsync(lane.Batch);
        await lane.WhenIdleAsync();

        // Each queued sample kept its own copy: its own sequence, and the delta of its own interval.
        Assert.Equal(Enumerable.Range(1, lane.Batch).Select(i => (long)i), sink.Samples.Select(s => s.Sequence));
        Assert.All(sink.Samples, s => Assert.Equal(100, s.Delta(MetricId.GcHeapTotalAllocated)));
        Assert.Equal(0, sink.ConcurrentCalls);
    }

    [Fact]
    public async Task Waiting_For_The_Sink_To_Be_Idle_Delivers_A_Partial_Batch()
    {
        var sink = new CollectingSink();
        SinkLane lane = Primed(sink, 10);
        using var delivering = new StopsDelivery(lane);

        Offer(lane, 1, 3);

        await lane.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([1L, 2L, 3L], sink.Samples.Select(s => s.Sequence));
        Assert.False(lane.IsBusy);
    }

    [Fact]
    public async Task A_Full_Queue_Skips_And_The_Next_Sample_Queued_Covers_The_Skipped_Interval()
    {
        var sink = new GatedSink();
        SinkLane lane = Primed(sink, 10);
        using var delivering = new StopsDelivery(lane);

        // The first write holds the sink while the queue fills behind it: the batch, and one sample more.
        Offer(lane, 1, lane.Batch);

        await sink.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(lane.TryOffer(Counted(lane.Batch + 1), CancellationToken.None));
        Assert.False(lane.TryOffer(Counted(lane.Batch + 2), CancellationToken.None));

        sink.Release();
        await lane.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(lane.TryOffer(Counted(lane.Batch + 3), CancellationToken.None));
        await lane.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([.. Enumerable.Range(1, lane.Batch + 1).Select(i => (long)i), lane.Batch + 3], sink.Seen.Select(s => s.Sequence));
        Assert.Equal(200, sink.Seen[^1].Delta);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(10)]
    public async Task After_A_Stop_While_The_Sink_Hangs_What_Is_Queued_Is_Still_Written_And_No_Thread_Starts(int intervalMs)
    {
        var sink = new GatedSink();
        SinkLane lane = Primed(sink, intervalMs);
        Offer(lane, 1, lane.Batch);

        await sink.Entered.WaitAsync(TimeSpan.FromSeconds(30));

        // The owner stops, gives up on the hung sink, and later waits for it again: nothing may start a thread
        // that no later stop would end.
        lane.StopDelivery();
        Task idle = lane.WhenIdleAsync();
        Assert.False(lane.HasDeliveryThread);
        sink.Release();
        await idle.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(lane.HasDeliveryThread);
        Assert.Equal(Enumerable.Range(1, lane.Batch).Select(i => (long)i), sink.Seen.Select(s => s.Sequence));
    }

    /// <summary>A lane at the given interval whose first deltas are taken from sequence 0.</summary>
    private static SinkLane Primed(IRuntimeMetricsSink sink, int intervalMs)
    {
        var lane = new SinkLane(sink, (_, e, _) => throw e, TimeSpan.FromMilliseconds(intervalMs));
        lane.Prime(Counted(sequence: 0));
        return lane;
    }

    /// <summary>Offers the samples of sequences <paramref name="first"/> to <paramref name="last"/>, each of which must be queued.</summary>
    private static void Offer(SinkLane lane, int first, int last)
    {
        for (int i = first; i <= last; i++)
        {
            Assert.True(lane.TryOffer(Counted(i), CancellationToken.None), $"sample {i} was skipped");
        }
    }

    /// <summary>A sample whose allocation counter grows by 100 per sequence number.</summary>
    private static RuntimeSnapshot Counted(long sequence)
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        snapshot.Sequence = sequence;
        snapshot.Timestamp = SnapshotFactory.Timestamp.AddMilliseconds(10 * sequence);
        snapshot.Values[(int)MetricId.GcHeapTotalAllocated] = 100 * sequence;
        return snapshot;
    }

    private sealed class NonBlockingSink : INonBlockingSink
    {
        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Records each sample's sequence and allocation delta; its first write waits until released.</summary>
    private sealed class GatedSink : IRuntimeMetricsSink
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new(false);

        public List<(long Sequence, double Delta)> Seen { get; } = [];

        public Task Entered => _entered.Task;

        public void Release() => _release.Set();

        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
        {
            Seen.Add((snapshot.Sequence, snapshot.Deltas[(int)MetricId.GcHeapTotalAllocated]));
            if (_entered.TrySetResult())
            {
                _release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            }

            return ValueTask.CompletedTask;
        }
    }
}
