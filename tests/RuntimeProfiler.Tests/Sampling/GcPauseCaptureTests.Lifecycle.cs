using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Tests.Sampling;

/// <content>Lifecycle: stopping under collections, the start/stop loop, and what the callback allocates.</content>
public sealed partial class GcPauseCaptureTests
{
    [Fact]
    public async Task Stopping_While_Collections_Run_Never_Hangs_And_Nothing_Is_Recorded_After()
    {
        var capture = new GcPauseCapture(TimeProvider.System);
        using var stop = new CancellationTokenSource();
        Task collector = AllocationLoad.Run(stop.Token);

        long recorded;
        try
        {
            // GC.WaitForPendingFinalizers cannot be used while the loop runs: every collection queues a new
            // sentinel, so the finalizer queue is never empty and the wait never ends.
            for (int i = 0; i < 200; i++)
            {
                capture.Start();

                // Lets the sentinel run at least once, so stops find chains mid-flight.
                long finalized = capture.SentinelsFinalized;
                Assert.True(SpinWait.SpinUntil(() => capture.SentinelsFinalized > finalized, TimeSpan.FromSeconds(30)));
                capture.Poll();
                capture.Stop();
            }

            recorded = capture.Recorded;
            long gen0 = GC.CollectionCount(0);
            Assert.True(SpinWait.SpinUntil(() => GC.CollectionCount(0) > gen0 + 20, TimeSpan.FromSeconds(30)));
        }
        finally
        {
            // A failure above must not leave the loop running into the tests after this one.
            await stop.CancelAsync();
            await collector.WaitAsync(TimeSpan.FromSeconds(60));
        }

        // Every sentinel queued by a collection after the last stop has run now, and found its chain disarmed.
        GC.WaitForPendingFinalizers();
        Assert.Equal(recorded, capture.Recorded);
        Assert.True(recorded > 0);
    }

    [Fact]
    public void Starting_And_Stopping_A_Thousand_Times_Leaves_No_Sentinel_Thread_Or_Memory_Behind()
    {
        var capture = new GcPauseCapture(TimeProvider.System);
        capture.Start();
        capture.Stop();
        Settle();
        int threads = Directory.GetDirectories("/proc/self/task").Length;
        long memory = GC.GetTotalMemory(forceFullCollection: true);

        for (int i = 0; i < 1000; i++)
        {
            capture.Start();
            if (i % 100 == 0)
            {
                // Some chains must be mid-flight when stopped: a GC re-arms from the finalizer thread.
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            }

            capture.Stop();
        }

        Settle();
        long recorded = capture.Recorded;
        Settle();

        // Every sentinel ever armed either ran its finalizer or had it cancelled by Stop: none is left armed.
        Assert.Equal(capture.SentinelsCreated, capture.SentinelsFinalized + capture.SentinelsSuppressed);
        Assert.True(capture.SentinelsCreated >= 1000);
        Assert.Equal(recorded, capture.Recorded);
        Assert.Null(capture.CurrentArm);
        Assert.True(Directory.GetDirectories("/proc/self/task").Length <= threads, "a thread was left behind");
        Assert.InRange(GC.GetTotalMemory(forceFullCollection: true) - memory, long.MinValue, 64 * 1024);
    }

    [Fact]
    public void The_Callback_Allocates_Only_The_Memory_Info_And_The_Next_Sentinel()
    {
        // The test runs the finalizer's body itself, so no sentinel may be armed to race it for the collection.
        var capture = new GcPauseCapture(TimeProvider.System, armSentinel: false);
        capture.Start();
        GcPauseCapture.Arm arm = capture.CurrentArm!;
        long infoBytes = AllocatedOnce(() => GC.GetGCMemoryInfo(GCKind.Any));
        var stopped = new GcPauseCapture(TimeProvider.System, armSentinel: false);
        stopped.Start();
        GcPauseCapture.Arm stoppedArm = stopped.CurrentArm!;
        stopped.Stop();
        long sentinelBytes = AllocatedOnce(() => _ = new GcPauseCapture.Sentinel(stoppedArm));

        long withCollection = 0;
        long withoutCollection = 0;
        for (int i = 0; i < 3; i++)
        {
            // With a new collection to observe: the Any read, and the sentinel armed for the next one.
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            withCollection = AllocatedOnce(() => capture.OnSentinelFinalized(arm));
            capture.CancelArmedSentinel();

            // With nothing new (the sampler's read got there first): only the sentinel.
            withoutCollection = AllocatedOnce(() => capture.OnSentinelFinalized(arm));
            capture.CancelArmedSentinel();
        }

        capture.Stop();
        Assert.Equal(288, infoBytes);
        Assert.Equal(24, sentinelBytes);
        Assert.Equal(infoBytes + sentinelBytes, withCollection);
        Assert.Equal(sentinelBytes, withoutCollection);
    }

    [Fact]
    public void A_Read_With_No_Collection_Since_The_Last_Allocates_Nothing()
    {
        var capture = new GcPauseCapture(TimeProvider.System, armSentinel: false);
        capture.Start();
        var snapshot = new RuntimeSnapshot();
        for (int attempt = 0; attempt < 50; attempt++)
        {
            capture.Poll();
            capture.WriteTo(snapshot);
            int collections = GC.CollectionCount(0);
            long allocated = AllocatedBy(() =>
            {
                capture.Poll();
                capture.WriteTo(snapshot);
            });
            if (GC.CollectionCount(0) == collections)
            {
                Assert.Equal(0, allocated);
                capture.Stop();
                return;
            }
        }

        Assert.Fail("Every attempt saw a collection.");
    }

    private static void Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
