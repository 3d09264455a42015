using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Collection;

public sealed partial class SinkLaneTests
{
    private static readonly MetricSeries s_gen0Pauses = RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen0", "ephemeral")!;

    [Fact]
    public async Task Histogram_Windows_Are_Taken_Against_What_The_Sink_Last_Received_Including_Skipped_Samples()
    {
        var sink = new HistogramRecordingSink();
        var lane = new SinkLane(sink, (_, e, _) => throw e);
        using var delivering = new StopsDelivery(lane);
        lane.Prime(Sample(count: 10, sum: 0.010, bucket: 6, min: double.NaN, max: double.NaN));

        Assert.True(lane.TryOffer(Sample(count: 13, sum: 0.013, bucket: 6, min: 0.0009, max: 0.0011), CancellationToken.None));
        await lane.WhenIdleAsync();
        Assert.Equal((3, 0.003, 0.0009, 0.0011, 3L), sink.Seen[0]);

        // While the sink is busy one sample waits behind its write; one more is skipped, and folded into the next window.
        sink.Block = true;
        Assert.True(lane.TryOffer(Sample(count: 15, sum: 0.015, bucket: 6, min: 0.0008, max: 0.0009), CancellationToken.None));
        await sink.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(lane.TryOffer(Sample(count: 16, sum: 0.016, bucket: 6, min: 0.001, max: 0.001), CancellationToken.None));
        Assert.False(lane.TryOffer(Sample(count: 20, sum: 0.030, bucket: 6, min: 0.0007, max: 0.005), CancellationToken.None));
        sink.Release();
        await lane.WhenIdleAsync();
        Assert.True(lane.TryOffer(Sample(count: 21, sum: 0.031, bucket: 6, min: 0.001, max: 0.001), CancellationToken.None));
        await lane.WhenIdleAsync();

        Assert.Equal((2, 0.002, 0.0008, 0.0009, 2L), sink.Seen[1]);
        Assert.Equal((1, 0.001, 0.001, 0.001, 1L), sink.Seen[2]);
        (long count, double sum, double min, double max, long bucket) last = sink.Seen[3];
        Assert.Equal(5, last.count);
        Assert.Equal(0.015, last.sum, 12);
        Assert.Equal(0.0007, last.min);
        Assert.Equal(0.005, last.max);
        Assert.Equal(5, last.bucket);
        Assert.Equal(4, sink.Seen.Count);
    }

    [Fact]
    public async Task Collection_Windows_Cover_Skipped_Samples_In_Observed_Order_And_Count_What_Fell_Out()
    {
        var sink = new CollectionRecordingSink();
        var lane = new SinkLane(sink, (_, e, _) => throw e);
        using var delivering = new StopsDelivery(lane);
        long sequence = 0;
        RuntimeSnapshot source = SnapshotFactory.Full();
        source.HasHistograms = true;
        lane.Prime(source);

        // Two ephemeral collections, then a background one observed after them though it started first.
        Observe(source, ref sequence, 10, GcCollectionKind.Ephemeral);
        Observe(source, ref sequence, 11, GcCollectionKind.Ephemeral);
        Observe(source, ref sequence, 9, GcCollectionKind.Background);
        Assert.True(lane.TryOffer(source, CancellationToken.None));
        await lane.WhenIdleAsync();
        Assert.Equal([10, 11, 9], sink.Seen[0].Indexes);
        Assert.Equal(0, sink.Seen[0].Omitted);

        // While the sink is busy one sample waits behind its write; the one after is skipped, and its
        // collections arrive with the next one the sink gets.
        sink.Block = true;
        Observe(source, ref sequence, 12, GcCollectionKind.Ephemeral);
        Assert.True(lane.TryOffer(source, CancellationToken.None));
        await sink.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(lane.TryOffer(source, CancellationToken.None));
        Observe(source, ref sequence, 13, GcCollectionKind.FullBlocking);
        Assert.False(lane.TryOffer(source, CancellationToken.None));
        for (long index = 14; index < 14 + RuntimeSnapshot.EphemeralCollectionCapacity + 5; index++)
        {
            Observe(source, ref sequence, index, GcCollectionKind.Ephemeral);
        }

        sink.Release();
        await lane.WhenIdleAsync();
        Assert.True(lane.TryOffer(source, CancellationToken.None));
        await lane.WhenIdleAsync();

        // 53 ephemeral collections since the sink's last sample: the latest 48 are listed, 5 fell out. The
        // generation 2 one survives in its own history, in its observed place.
        Assert.Empty(sink.Seen[2].Indexes);
        (long[] indexes, long omitted) = sink.Seen[3];
        Assert.Equal(5, omitted);
        Assert.Equal(RuntimeSnapshot.EphemeralCollectionCapacity + 1, indexes.Length);
        Assert.Equal(13, indexes[0]);
        Assert.Equal(14 + 5, indexes[1]);
        Assert.Equal(14 + RuntimeSnapshot.EphemeralCollectionCapacity + 4, indexes[^1]);
    }

    [Fact]
    public async Task Collections_Recovered_Without_Detail_Are_Counted_As_Omitted_In_Their_Window_Only()
    {
        var sink = new CollectionRecordingSink();
        var lane = new SinkLane(sink, (_, e, _) => throw e);
        using var delivering = new StopsDelivery(lane);
        long sequence = 0;
        RuntimeSnapshot source = SnapshotFactory.Full();
        source.HasHistograms = true;
        source.UnlistedCollectionTotal = 4;
        lane.Prime(source);

        // Collection 20 was lost and recovered from the totals: in the histogram, with no detail to list.
        Observe(source, ref sequence, 21, GcCollectionKind.Ephemeral);
        source.UnlistedCollectionTotal = 5;
        Assert.True(lane.TryOffer(source, CancellationToken.None));
        await lane.WhenIdleAsync();
        Observe(source, ref sequence, 22, GcCollectionKind.Ephemeral);
        Assert.True(lane.TryOffer(source, CancellationToken.None));
        await lane.WhenIdleAsync();

        Assert.Equal([21], sink.Seen[0].Indexes);
        Assert.Equal(1, sink.Seen[0].Omitted);
        Assert.Equal([22], sink.Seen[1].Indexes);
        Assert.Equal(0, sink.Seen[1].Omitted);
    }

    [Fact]
    public void Snapshots_Without_Histogram_Data_Report_None()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        Assert.False(snapshot.TryGetHistogram(s_gen0Pauses, out _));
        Assert.False(snapshot.TryGetHistogram(RuntimeMetricCatalog.Find("dotnet.gc.heap.size")!, out _));
    }

    private static RuntimeSnapshot Sample(long count, double sum, int bucket, double min, double max)
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        snapshot.HasHistograms = true;
        int h = 0;
        snapshot.HistogramCountTotals[h] = count;
        snapshot.HistogramSumTotals[h] = sum;
        snapshot.HistogramBucketTotals[(h * RuntimeSnapshot.BucketSlots) + bucket] = count;
        snapshot.HistogramMinWindow[h] = min;
        snapshot.HistogramMaxWindow[h] = max;
        return snapshot;
    }

    private static void Observe(RuntimeSnapshot snapshot, ref long sequence, long index, GcCollectionKind kind)
    {
        var collection = new GcCollectionInfo(++sequence, index, kind == GcCollectionKind.Ephemeral ? 0 : 2, kind, TimeSpan.FromTicks(100), TimeSpan.Zero, false, 0, 0, 0, SnapshotFactory.Timestamp);
        (kind == GcCollectionKind.Ephemeral ? snapshot.EphemeralHistory : snapshot.Gen2History).Add(collection);
    }

    private sealed class CollectionRecordingSink : IRuntimeMetricsSink
    {
        private readonly SemaphoreSlim _entered = new(0);
        private readonly ManualResetEventSlim _release = new(false);

        public List<(long[] Indexes, long Omitted)> Seen { get; } = [];

        public bool Block { get; set; }

        public Task Entered => _entered.WaitAsync();

        public void Release() => _release.Set();

        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
        {
            long[] indexes = new long[snapshot.Collections.Length];
            for (int i = 0; i < indexes.Length; i++)
            {
                indexes[i] = snapshot.Collections[i].Index;
            }

            Seen.Add((indexes, snapshot.CollectionsOmitted));
            if (Block)
            {
                Block = false;
                _entered.Release();
                _release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class HistogramRecordingSink : IRuntimeMetricsSink
    {
        private readonly SemaphoreSlim _entered = new(0);
        private readonly ManualResetEventSlim _release = new(false);

        public List<(long Count, double Sum, double Min, double Max, long Bucket)> Seen { get; } = [];

        public bool Block { get; set; }

        public Task Entered => _entered.WaitAsync();

        public void Release() => _release.Set();

        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
        {
            Assert.True(snapshot.TryGetHistogram(s_gen0Pauses, out HistogramSnapshot? histogram));
            Seen.Add((histogram.Count, Math.Round(histogram.Sum, 12), histogram.Min, histogram.Max, histogram.BucketCounts[6]));
            if (Block)
            {
                Block = false;
                _entered.Release();
                _release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Ends a lane's delivery thread at the end of a test, as the lane's owner does when it stops.</summary>
    private sealed class StopsDelivery(SinkLane lane) : IDisposable
    {
        public void Dispose() => lane.StopDelivery();
    }
}
