using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>
/// Reads the garbage collector's figures. Counts, totals and the live heap size are cheap reads taken every
/// time; <see cref="GC.GetGCMemoryInfo()"/> allocates one small object (288 B here), so it is called only
/// when a collection happened since the last call, and its figures are kept until the next one.
/// </summary>
internal sealed class GcSampler
{
    private const int FirstLastCollectionId = (int)MetricId.GcLastHeapSizeGen0;
    private const int LastCollectionCount = (int)MetricId.GcMemoryHighLoadThreshold - FirstLastCollectionId + 1;
    private const int MaxConsistentReads = 4;

    private readonly double[] _lastCollection = new double[LastCollectionCount];
    private int _gen0AtLastInfo = -1;
    private TimeSpan _pauseAtLastInfo = TimeSpan.MinValue;
    private long _lastIndex;

    public GcSampler() => Array.Fill(_lastCollection, double.NaN);

    /// <summary>Gets the number of <see cref="GC.GetGCMemoryInfo()"/> calls made, for tests of the read-only-when-needed rule.</summary>
    internal int MemoryInfoReads { get; private set; }

    public void Read(Span<double> values, DateTimeOffset now)
    {
        ReadCollectionCounts(out int gen0, out int gen1, out int gen2);
        values[(int)MetricId.GcCollectionsGen0] = gen0 - gen1;
        values[(int)MetricId.GcCollectionsGen1] = gen1 - gen2;
        values[(int)MetricId.GcCollectionsGen2] = gen2;
        values[(int)MetricId.GcHeapSize] = GC.GetTotalMemory(forceFullCollection: false);
        values[(int)MetricId.GcHeapTotalAllocated] = GC.GetTotalAllocatedBytes(precise: false);
        TimeSpan pause = GC.GetTotalPauseDuration();
        values[(int)MetricId.GcPauseTime] = pause.TotalSeconds;

        // A background GC's final pause changes the pause total without a new gen0 count: refresh then too.
        if (gen0 != _gen0AtLastInfo || pause != _pauseAtLastInfo)
        {
            _gen0AtLastInfo = gen0;
            _pauseAtLastInfo = pause;
            RefreshLastCollection(now);
        }

        _lastCollection.CopyTo(values.Slice(FirstLastCollectionId, LastCollectionCount));
    }

    private static void ReadCollectionCounts(out int gen0, out int gen1, out int gen2)
    {
        // Counts are inclusive (a gen2 GC also counts for gen1 and gen0). A GC between the three reads
        // would make the exclusive counts step back by one on the next sample: read until stable.
        gen0 = GC.CollectionCount(0);
        gen1 = GC.CollectionCount(1);
        gen2 = GC.CollectionCount(2);
        for (int i = 0; i < MaxConsistentReads; i++)
        {
            int again = GC.CollectionCount(0);
            if (again == gen0)
            {
                return;
            }

            gen0 = again;
            gen1 = GC.CollectionCount(1);
            gen2 = GC.CollectionCount(2);
        }
    }

    private void RefreshLastCollection(DateTimeOffset now)
    {
        MemoryInfoReads++;
        GCMemoryInfo info = GC.GetGCMemoryInfo();

        // Index 0 means no collection has finished yet: every field is zero, not a measurement.
        if (info.Index == 0)
        {
            return;
        }

        if (info.Index != _lastIndex)
        {
            _lastIndex = info.Index;
            Set(MetricId.GcLastCollectionTime, (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond);
        }

        ReadOnlySpan<GCGenerationInfo> generations = info.GenerationInfo;
        for (int g = 0; g < generations.Length && g < 5; g++)
        {
            Set(MetricId.GcLastHeapSizeGen0 + g, generations[g].SizeAfterBytes);
            Set(MetricId.GcLastFragmentationGen0 + g, generations[g].FragmentationAfterBytes);
        }

        TimeSpan pause = TimeSpan.Zero;
        foreach (TimeSpan p in info.PauseDurations)
        {
            pause += p;
        }

        Set(MetricId.GcLastHeapTotalSize, info.HeapSizeBytes);
        Set(MetricId.GcLastCommitted, info.TotalCommittedBytes);
        Set(MetricId.GcLastPromoted, info.PromotedBytes);
        Set(MetricId.GcLastPinnedObjects, info.PinnedObjectsCount);
        Set(MetricId.GcFinalizationPending, info.FinalizationPendingCount);
        Set(MetricId.GcLastPauseDuration, pause.TotalSeconds);
        Set(MetricId.GcMemoryLoad, info.MemoryLoadBytes);
        Set(MetricId.GcMemoryLimit, info.TotalAvailableMemoryBytes);
        Set(MetricId.GcMemoryHighLoadThreshold, info.HighMemoryLoadThresholdBytes);
    }

    private void Set(MetricId id, double value) => _lastCollection[(int)id - FirstLastCollectionId] = value;
}
