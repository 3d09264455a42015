using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>
/// Reads the garbage collector's figures. Counts, totals and the live heap size are cheap reads taken every
/// time; the last-collection figures come from the latest collection the pause capture observed, so they
/// and their timestamp describe the same collection and the read allocates nothing.
/// </summary>
internal sealed class GcSampler
{
    private const int FirstLastCollectionId = (int)MetricId.GcLastHeapSizeGen0;
    private const int LastCollectionCount = (int)MetricId.GcMemoryHighLoadThreshold - FirstLastCollectionId + 1;
    private const int MaxConsistentReads = 4;

    private readonly double[] _lastCollection = new double[LastCollectionCount];
    private long _lastIndex;
    private DateTimeOffset _lastObservedAt;

    public GcSampler() => Array.Fill(_lastCollection, double.NaN);

    /// <summary>Reads the figures into <paramref name="values"/>.</summary>
    /// <param name="values">The snapshot's values.</param>
    /// <param name="latest">The latest collection the pause capture observed, source of the last-collection figures.</param>
    /// <param name="countsWritten">Whether the capture already wrote the collection counts and the pause total.</param>
    public void Read(Span<double> values, in LatestCollection latest, bool countsWritten)
    {
        if (!countsWritten)
        {
            ReadCollectionCounts(out long gen0, out long gen1, out long gen2);
            values[(int)MetricId.GcCollectionsGen0] = gen0 - gen1;
            values[(int)MetricId.GcCollectionsGen1] = gen1 - gen2;
            values[(int)MetricId.GcCollectionsGen2] = gen2;
            values[(int)MetricId.GcPauseTime] = GC.GetTotalPauseDuration().TotalSeconds;
        }

        values[(int)MetricId.GcHeapSize] = GC.GetTotalMemory(forceFullCollection: false);
        values[(int)MetricId.GcHeapTotalAllocated] = GC.GetTotalAllocatedBytes(precise: false);

        // A background collection is observed when it ends, after ephemeral ones with higher indexes, so
        // the latest collection is the one observed last, not the one with the highest index.
        if (latest.Exists && (latest.Info.Index != _lastIndex || latest.ObservedAt != _lastObservedAt))
        {
            _lastIndex = latest.Info.Index;
            _lastObservedAt = latest.ObservedAt;
            RefreshLastCollection(latest.Info, latest.ObservedAt);
        }

        _lastCollection.CopyTo(values.Slice(FirstLastCollectionId, LastCollectionCount));
    }

    private static void ReadCollectionCounts(out long gen0, out long gen1, out long gen2)
    {
        // Counts are inclusive (a gen2 GC also counts for gen1 and gen0). A GC between the three reads
        // would make the exclusive counts step back by one on the next sample: read until stable.
        gen0 = GC.CollectionCount(0);
        gen1 = GC.CollectionCount(1);
        gen2 = GC.CollectionCount(2);
        for (int i = 0; i < MaxConsistentReads; i++)
        {
            long again = GC.CollectionCount(0);
            if (again == gen0)
            {
                return;
            }

            gen0 = again;
            gen1 = GC.CollectionCount(1);
            gen2 = GC.CollectionCount(2);
        }
    }

    private void RefreshLastCollection(in GCMemoryInfo info, DateTimeOffset observedAt)
    {
        Set(MetricId.GcLastCollectionTime, (observedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond);

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
