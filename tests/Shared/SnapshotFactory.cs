using RuntimeProfiling.Model;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>Builds snapshots with fixed values, for byte-for-byte tests of the formats.</summary>
internal static class SnapshotFactory
{
    public static readonly DateTimeOffset Timestamp = new(2026, 11, 26, 9, 30, 15, 250, TimeSpan.Zero);

    /// <summary>A snapshot in which every figure has a distinct, plausible value, and every counter a delta.</summary>
    public static RuntimeSnapshot Full()
    {
        var snapshot = new RuntimeSnapshot
        {
            Timestamp = Timestamp,
            Elapsed = TimeSpan.FromSeconds(10),
            Sequence = 42,
        };

        void Set(MetricId id, double value, double delta = double.NaN)
        {
            snapshot.Values[(int)id] = value;
            snapshot.Deltas[(int)id] = delta;
        }

        Set(MetricId.GcCollectionsGen0, 1200, 30);
        Set(MetricId.GcCollectionsGen1, 80, 2);
        Set(MetricId.GcCollectionsGen2, 5, 1);
        Set(MetricId.GcHeapSize, 52_428_800);
        Set(MetricId.GcLastHeapSizeGen0, 1_048_576);
        Set(MetricId.GcLastHeapSizeGen1, 2_097_152);
        Set(MetricId.GcLastHeapSizeGen2, 31_457_280);
        Set(MetricId.GcLastHeapSizeLoh, 8_388_608);
        Set(MetricId.GcLastHeapSizePoh, 65_536);
        Set(MetricId.GcLastFragmentationGen0, 1024);
        Set(MetricId.GcLastFragmentationGen1, 2048);
        Set(MetricId.GcLastFragmentationGen2, 524_288);
        Set(MetricId.GcLastFragmentationLoh, 131_072);
        Set(MetricId.GcLastFragmentationPoh, 0);
        Set(MetricId.GcLastHeapTotalSize, 43_057_152);
        Set(MetricId.GcLastCommitted, 67_108_864);
        Set(MetricId.GcLastPromoted, 3_145_728);
        Set(MetricId.GcLastPinnedObjects, 12);
        Set(MetricId.GcFinalizationPending, 3);
        Set(MetricId.GcLastPauseDuration, 0.0015);
        Set(MetricId.GcLastCollectionTime, 1_795_685_410.125);
        Set(MetricId.GcMemoryLoad, 4_294_967_296);
        Set(MetricId.GcMemoryLimit, 25_769_803_776);
        Set(MetricId.GcMemoryHighLoadThreshold, 23_192_823_398);
        Set(MetricId.GcPauseTime, 1.25, 0.045);
        Set(MetricId.GcPauseRatio, 0.0045);
        Set(MetricId.GcPauseMissed, 2, 0);
        Set(MetricId.GcHeapTotalAllocated, 10_737_418_240, 104_857_600);
        Set(MetricId.ProcessCpuTimeUser, 120.5, 2.25);
        Set(MetricId.ProcessCpuTimeSystem, 30.75, 0.5);
        Set(MetricId.ProcessCpuCount, 2);
        Set(MetricId.ProcessWorkingSet, 157_286_400);
        Set(MetricId.ProcessThreads, 24);
        Set(MetricId.ThreadPoolThreadCount, 8);
        Set(MetricId.ThreadPoolQueueLength, 3);
        Set(MetricId.ThreadPoolWorkItems, 250_000, 12_000);
        Set(MetricId.MonitorLockContentions, 400, 7);
        Set(MetricId.TimerCount, 6);
        Set(MetricId.JitCompiledIlSize, 1_500_000, 2_000);
        Set(MetricId.JitCompiledMethods, 9_000, 15);
        Set(MetricId.JitCompilationTime, 2.5, 0.01);
        Set(MetricId.AssemblyCount, 64);
        Set(MetricId.Exceptions, 17, 2);
        Set(MetricId.ProfilerSampleDuration, 0.0000031);
        Set(MetricId.ProfilerTicksSkipped, 0, 0);
        Set(MetricId.ProfilerSinkErrors, 1, 0);
        Set(MetricId.ProfilerSinkSkipped, 0, 0);
        Set(MetricId.PrometheusScrapes, 360, 10);
        Set(MetricId.PrometheusRejected, 2, 0);
        Set(MetricId.StatsDDatagramsSent, 1500, 30);
        Set(MetricId.StatsDDroppedTooLong, 0, 0);
        Set(MetricId.StatsDDroppedNotFinite, 0, 0);
        Set(MetricId.StatsDDroppedUnreachable, 12, 4);
        Set(MetricId.StatsDDroppedBufferFull, 3, 0);
        Set(MetricId.StatsDDroppedUnresolved, 0, 0);
        Set(MetricId.StatsDDroppedSocketError, 0, 0);
        return snapshot;
    }

    /// <summary>
    /// Adds fixed pause-histogram totals to a snapshot, as the sampler writes them once pause capture feeds it:
    /// gen0 pauses spread over the first buckets, one background gen2 pause above the last bound.
    /// </summary>
    public static RuntimeSnapshot WithHistograms(RuntimeSnapshot snapshot)
    {
        snapshot.HasHistograms = true;
        int slots = RuntimeSnapshot.BucketSlots;
        long[][] buckets =
        [
            [0, 3, 40, 200, 350, 90, 12, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 2, 15, 30, 9, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        ];
        double[] sums = [0.1875, 0.0412, 0.0345, 12.5];
        for (int h = 0; h < buckets.Length; h++)
        {
            buckets[h].AsSpan().CopyTo(snapshot.HistogramBucketTotals.Slice(h * slots, slots));
            snapshot.HistogramCountTotals[h] = buckets[h].Sum();
            snapshot.HistogramSumTotals[h] = sums[h];
        }

        return snapshot;
    }

    /// <summary>A snapshot as it looks before the first GC: no last-collection figures, no pause ratio.</summary>
    public static RuntimeSnapshot BeforeFirstGc()
    {
        RuntimeSnapshot snapshot = Full();
        for (MetricId id = MetricId.GcLastHeapSizeGen0; id <= MetricId.GcMemoryHighLoadThreshold; id++)
        {
            snapshot.Values[(int)id] = double.NaN;
        }

        snapshot.Values[(int)MetricId.GcPauseRatio] = double.NaN;
        return snapshot;
    }
}
