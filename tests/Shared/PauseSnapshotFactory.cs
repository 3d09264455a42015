using RuntimeProfiling.Model;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>Builds snapshots with the pause histogram and the collection list filled, for byte-for-byte tests of the formats.</summary>
internal static class PauseSnapshotFactory
{
    /// <summary>
    /// <see cref="SnapshotFactory.Full"/> with a window of 33 collections (its collection deltas): 28 in the
    /// histogram (25 gen0, 2 gen1, 1 background) and 5 missed; 3 listed, 25 omitted from the list.
    /// </summary>
    public static RuntimeSnapshot WithPauses()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        snapshot.HasHistograms = true;
        snapshot.Values[(int)MetricId.GcPauseMissed] = 7;
        snapshot.Deltas[(int)MetricId.GcPauseMissed] = 5;

        // Buckets by index: 3 = 100 µs, 4 = 250 µs, 5 = 500 µs, 6 = 1 ms, 7 = 2.5 ms.
        Set(snapshot, MetricId.GcPauseDurationGen0, count: 25, sum: 0.0042, min: 0.00009, max: 0.00031, totalCount: 1180, totalSum: 0.21, (3, 3), (4, 20), (5, 2));
        Set(snapshot, MetricId.GcPauseDurationGen1, count: 2, sum: 0.0011, min: 0.0004, max: 0.0007, totalCount: 78, totalSum: 0.061, (5, 1), (6, 1));
        Set(snapshot, MetricId.GcPauseDurationGen2Blocking, count: 0, sum: 0, min: double.NaN, max: double.NaN, totalCount: 2, totalSum: 0.0183);
        Set(snapshot, MetricId.GcPauseDurationGen2Background, count: 1, sum: 0.0012, min: 0.0012, max: 0.0012, totalCount: 3, totalSum: 0.0041, (7, 1));

        DateTimeOffset t = SnapshotFactory.Timestamp;
        Span<GcCollectionInfo> list = snapshot.CollectionStorage;
        list[0] = new GcCollectionInfo(101, 1183, 0, GcCollectionKind.Ephemeral, TimeSpan.FromTicks(1200), TimeSpan.Zero, compacted: true, 262_144, 44_040_192, 1_048_576, t.AddMilliseconds(-3200));
        list[1] = new GcCollectionInfo(102, 1184, 1, GcCollectionKind.Ephemeral, TimeSpan.FromTicks(7000), TimeSpan.Zero, compacted: true, 1_572_864, 45_088_768, 524_288, t.AddMilliseconds(-2100));
        list[2] = new GcCollectionInfo(103, 1182, 2, GcCollectionKind.Background, TimeSpan.FromTicks(2000), TimeSpan.FromTicks(10000), compacted: false, 31_457_280, 43_057_152, 3_145_728, t.AddMilliseconds(-500));
        snapshot.CollectionCount = 3;
        snapshot.CollectionsOmitted = 25;
        return snapshot;
    }

    private static void Set(RuntimeSnapshot snapshot, MetricId id, long count, double sum, double min, double max, long totalCount, double totalSum, params (int Bucket, long Count)[] buckets)
    {
        int h = RuntimeMetricCatalog.Series[(int)id].HistogramIndex;
        snapshot.HistogramCountWindow[h] = count;
        snapshot.HistogramSumWindow[h] = sum;
        snapshot.HistogramMinWindow[h] = min;
        snapshot.HistogramMaxWindow[h] = max;
        snapshot.HistogramCountTotals[h] = totalCount;
        snapshot.HistogramSumTotals[h] = totalSum;
        foreach ((int bucket, long n) in buckets)
        {
            snapshot.HistogramBucketsWindow[(h * RuntimeSnapshot.BucketSlots) + bucket] = n;
            snapshot.HistogramBucketTotals[(h * RuntimeSnapshot.BucketSlots) + bucket] = n * 40;
        }
    }
}
