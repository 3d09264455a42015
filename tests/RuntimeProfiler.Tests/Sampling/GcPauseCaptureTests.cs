using System.Runtime;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Tests.Sampling;

[Collection(SerialTestGroup.Name)]
public sealed partial class GcPauseCaptureTests
{
    private static readonly int s_gen0 = Series("gen0", "ephemeral");
    private static readonly int s_gen1 = Series("gen1", "ephemeral");
    private static readonly int s_gen2 = Series("gen2", "full_blocking");
    private static readonly int s_background = Series("gen2", "background");

    [Fact]
    public void Every_Collection_Of_A_Burst_Is_Recorded_Or_Counted_As_Missed()
    {
        var capture = new GcPauseCapture(TimeProvider.System);
        capture.Start();
        RuntimeSnapshot before = Totals(capture);
        long gen0Before = GC.CollectionCount(0);
        long gen1Before = GC.CollectionCount(1);
        long gen2Before = GC.CollectionCount(2);

        // Hundreds of back-to-back collections of every generation: the finalizer thread cannot run between
        // all of them, so some are lost; each must show as recorded or as missed, never both, never neither.
        for (int i = 0; i < 600; i++)
        {
            GC.Collect(i % 3, GCCollectionMode.Forced, blocking: true, compacting: i % 7 == 0);
        }

        // A generation 2 collection lost in the burst stays possibly running (a background one) until the next
        // generation 2 collection starts; the burst ends with one, and the capture settles once it is observed.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        capture.Poll();
        RuntimeSnapshot after = Totals(capture);
        capture.Stop();

        long collections = GC.CollectionCount(0) - gen0Before;
        long recorded = Count(after) - Count(before);
        long missed = (long)(after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed]);
        Assert.Equal(collections, recorded + missed);
        Assert.True(recorded > 0);

        // Per kind, never more recorded than ran.
        Assert.InRange(Count(after, s_gen2) - Count(before, s_gen2), 1, GC.CollectionCount(2) - gen2Before);
        Assert.InRange(Count(after, s_gen1) - Count(before, s_gen1), 0, GC.CollectionCount(1) - gen1Before - (GC.CollectionCount(2) - gen2Before));
        Assert.InRange(Count(after, s_gen0) - Count(before, s_gen0), 0, collections - (GC.CollectionCount(1) - gen1Before));
        Assert.Equal(0, Count(after, s_background) - Count(before, s_background));
    }

    [Fact]
    public void Collections_Observed_One_At_A_Time_Add_Up_To_The_Runtime_Pause_Total()
    {
        var capture = new GcPauseCapture(TimeProvider.System);
        capture.Start();
        GC.WaitForPendingFinalizers();
        capture.Poll();
        RuntimeSnapshot before = Totals(capture);
        TimeSpan pauseBefore = GC.GetTotalPauseDuration();
        long gen0Before = GC.CollectionCount(0);

        // Waiting for the finalizer after each collection lets the sentinel observe every one.
        for (int i = 0; i < 150; i++)
        {
            GC.Collect(i % 3, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        capture.Poll();
        RuntimeSnapshot after = Totals(capture);
        TimeSpan paused = GC.GetTotalPauseDuration() - pauseBefore;
        capture.Stop();

        Assert.Equal(0, after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed]);
        Assert.Equal(GC.CollectionCount(0) - gen0Before, Count(after) - Count(before));

        // 150 collections are within the shipped pacing's burst: the sentinel observed every one and no pacer started.
        Assert.Equal(0, capture.Holds);
        Assert.False(capture.HasPacer);

        // The runtime adds each collection's recorded pause to its total, both in whole microseconds: the sums
        // agree exactly, up to the rounding of seconds as doubles (documented: 1 ns).
        Assert.Equal(paused.TotalSeconds, Sum(after) - Sum(before), 1e-9);
        Assert.True(paused > TimeSpan.Zero);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_Single_Lost_Collection_Is_Recovered_From_The_Runtime_Totals_With_Its_Exact_Pause(int lostGeneration)
    {
        // The first of two collections between reads is lost.
        GcPauseCapture capture = StartObservedByReadsOnly(out RuntimeSnapshot before);

        GC.Collect(lostGeneration, GCCollectionMode.Forced, blocking: true);
        GCMemoryInfo lost = GC.GetGCMemoryInfo(GCKind.Any);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GCMemoryInfo seen = GC.GetGCMemoryInfo(GCKind.Any);
        capture.Poll();
        RuntimeSnapshot after = Totals(capture);
        capture.Stop();

        Assert.Equal(lost.Index + 1, seen.Index);
        Assert.Equal(0, after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed]);
        Assert.Equal(1, capture.Recovered);
        Assert.Equal(2, Count(after) - Count(before));

        // The runtime may raise a collection it is asked for to generation 1; the recovered one counts under the generation it had.
        Assert.Equal(GenerationOne(lost) + GenerationOne(seen), Count(after, s_gen1) - Count(before, s_gen1));
        Assert.Equal((lost.PauseDurations[0] + seen.PauseDurations[0]).TotalSeconds, Sum(after) - Sum(before), 1e-9);

        // The recovered one has no detail to list: only the collection read is in the history.
        Assert.DoesNotContain(lost.Index, Indexes(after.EphemeralHistory));
        Assert.Contains(seen.Index, Indexes(after.EphemeralHistory));
        Assert.Equal(1, after.UnlistedCollectionTotal - before.UnlistedCollectionTotal);
    }

    [Fact]
    public void Two_Lost_Collections_Are_Counted_As_Missed_Not_Guessed()
    {
        GcPauseCapture capture = StartObservedByReadsOnly(out RuntimeSnapshot before);

        // The pause total gives the sum of the two lost pauses, not each of them.
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }

        capture.Poll();
        RuntimeSnapshot after = Totals(capture);
        capture.Stop();

        Assert.Equal(2, after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed]);
        Assert.Equal(1, Count(after) - Count(before));
        Assert.Equal(0, capture.Recovered);
    }

    [Fact]
    public void A_Lost_Collection_Is_Recovered_Beside_A_Full_Blocking_One_Read_Back_From_Its_Kind()
    {
        GcPauseCapture capture = StartObservedByReadsOnly(out RuntimeSnapshot before);

        // The full blocking collection is read back from its own kind and the last one from Any; the
        // generation 0 collection before them is lost, and the totals give its pause.
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GCMemoryInfo lost = GC.GetGCMemoryInfo(GCKind.Any);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GCMemoryInfo last = GC.GetGCMemoryInfo(GCKind.Any);
        capture.Poll();
        RuntimeSnapshot after = Totals(capture);
        capture.Stop();

        Assert.Equal(lost.Index + 2, last.Index);
        Assert.Equal(0, after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed]);
        Assert.Equal(1, capture.Recovered);
        Assert.Equal(1, Count(after, s_gen2) - Count(before, s_gen2));
        Assert.Equal(GenerationOne(lost) + GenerationOne(last), Count(after, s_gen1) - Count(before, s_gen1));
        Assert.Equal(2 - GenerationOne(lost) - GenerationOne(last), Count(after, s_gen0) - Count(before, s_gen0));
    }

    [Fact]
    public void A_Lost_Generation_2_Collection_Is_Counted_As_Missed_Not_Recovered()
    {
        GcPauseCapture capture = StartObservedByReadsOnly(out RuntimeSnapshot before);

        // A lost generation 2 collection could have been a background one, whose pauses need not fall in the
        // window: the totals do not pin it down.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        capture.Poll();
        RuntimeSnapshot after = Totals(capture);
        capture.Stop();

        Assert.Equal(1, after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed]);
        Assert.Equal(2, Count(after) - Count(before));
        Assert.Equal(0, capture.Recovered);
    }

    [Fact]
    public void A_Background_Collection_Is_Recorded_Once_With_Both_Pauses_After_The_Ephemeral_Ones_During_It()
    {
        Assert.SkipWhen(GCSettings.LatencyMode == GCLatencyMode.Batch, "Concurrent GC is off in this process: no background collections.");

        // A large heap, so marking runs long enough for ephemeral collections to run during it. Building it
        // may start background collections of its own; a blocking one waits for them to end.
        object[] heap = BuildHeap(4_000_000);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var capture = new GcPauseCapture(TimeProvider.System);
        capture.Start();
        RuntimeSnapshot before = Totals(capture);
        long gen0Before = GC.CollectionCount(0);
        var backgrounds = new List<GCMemoryInfo>();

        // Whether allocation triggers a collection before marking ends depends on the gen0 budget and the
        // machine: start background collections until one had ephemeral ones during it.
        long during = 0;
        for (int attempt = 0; attempt < 20 && during == 0; attempt++)
        {
            long background = GC.GetGCMemoryInfo(GCKind.Background).Index;
            GC.Collect(2, GCCollectionMode.Forced, blocking: false);

            // An induced collection would wait for the background one to end; allocation-triggered ones run during it.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (GC.GetGCMemoryInfo(GCKind.Background).Index <= background)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "The background collection did not end.");
                long gen0 = GC.CollectionCount(0);
                for (int i = 0; i < 1000; i++)
                {
                    GC.KeepAlive(GC.AllocateUninitializedArray<byte>(8000));
                }

                // Counted only if the background collection is still running after them: they ended during it.
                if (GC.GetGCMemoryInfo(GCKind.Background).Index <= background)
                {
                    during += GC.CollectionCount(0) - gen0;
                }

                // The sampler's read, between batches: the finalizer thread may get no processor meanwhile.
                capture.Poll();
            }

            backgrounds.Add(GC.GetGCMemoryInfo(GCKind.Background));
        }

        Assert.True(during > 0, "no collection ran during any of the background ones");
        GC.WaitForPendingFinalizers();
        capture.Poll();
        RuntimeSnapshot after = Totals(capture);
        GC.KeepAlive(heap);
        capture.Stop();

        Assert.Equal(GC.CollectionCount(0) - gen0Before, Count(after) - Count(before) + (long)(after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed]));
        GcCollectionInfo recorded = default;
        foreach (GCMemoryInfo expected in backgrounds)
        {
            recorded = Find(after.Gen2History, expected.Index);
            Assert.Equal(GcCollectionKind.Background, recorded.Kind);
            Assert.Equal(expected.PauseDurations[0], recorded.FirstPauseDuration);
            Assert.Equal(expected.PauseDurations[1], recorded.SecondPauseDuration);
            Assert.True(recorded.SecondPauseDuration > TimeSpan.Zero);
        }

        Assert.Equal(backgrounds.Count, Count(after, s_background) - Count(before, s_background));

        // Recorded when it ended: after the ephemeral collections that started after it and ended while it marked.
        bool ranDuring = false;
        for (int i = 0; i < after.EphemeralHistory.Count; i++)
        {
            ranDuring |= after.EphemeralHistory[i].Index > recorded.Index && after.EphemeralHistory[i].Sequence < recorded.Sequence;
        }

        Assert.True(ranDuring, "no ephemeral collection was recorded during the background one");
    }

    [Fact]
    public void Collections_While_Stopped_Are_Counted_As_Missed_On_Restart()
    {
        var capture = new GcPauseCapture(TimeProvider.System);
        capture.Start();
        GC.WaitForPendingFinalizers();
        capture.Poll();
        capture.Stop();
        RuntimeSnapshot before = Totals(capture);
        long gen0 = GC.CollectionCount(0);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }

        capture.Start();
        capture.Poll();
        RuntimeSnapshot after = Totals(capture);
        capture.Stop();
        Assert.Equal(GC.CollectionCount(0) - gen0, after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed] + Count(after) - Count(before));
        Assert.True(after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed] >= 3);
    }

    /// <summary>
    /// Starts a capture with no sentinel, so only the test's reads observe and the test decides which collections
    /// are lost, after a full blocking collection, so no background one is running.
    /// </summary>
    private static GcPauseCapture StartObservedByReadsOnly(out RuntimeSnapshot before)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var capture = new GcPauseCapture(TimeProvider.System, armSentinel: false);
        capture.Start();
        capture.Poll();
        before = Totals(capture);
        return capture;
    }

    internal static RuntimeSnapshot Totals(GcPauseCapture capture)
    {
        var snapshot = new RuntimeSnapshot();
        capture.WriteTo(snapshot);
        return snapshot;
    }

    internal static long Count(RuntimeSnapshot snapshot, int series = -1)
    {
        long count = 0;
        for (int h = 0; h < snapshot.HistogramCountTotals.Length; h++)
        {
            count += series < 0 || series == h ? snapshot.HistogramCountTotals[h] : 0;
        }

        return count;
    }

    private static double Sum(RuntimeSnapshot snapshot)
    {
        double sum = 0;
        foreach (double s in snapshot.HistogramSumTotals)
        {
            sum += s;
        }

        return sum;
    }

    private static int GenerationOne(in GCMemoryInfo info) => info.Generation == 1 ? 1 : 0;

    private static int Series(string generation, string kind) => RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", generation, kind)!.HistogramIndex;

    private static long AllocatedBy(Action action)
    {
        action();
        return AllocatedOnce(action);
    }

    private static long AllocatedOnce(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static object[] BuildHeap(int objects)
    {
        object[] heap = new object[objects];
        for (int i = 0; i < heap.Length; i++)
        {
            heap[i] = new byte[32];
        }

        return heap;
    }

    private static IEnumerable<long> Indexes(GcCollectionHistory history)
    {
        for (int i = 0; i < history.Count; i++)
        {
            yield return history[i].Index;
        }
    }

    private static GcCollectionInfo Find(GcCollectionHistory history, long index)
    {
        for (int i = 0; i < history.Count; i++)
        {
            if (history[i].Index == index)
            {
                return history[i];
            }
        }

        throw new InvalidOperationException("not found");
    }
}
