using System.Diagnostics;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sampling;

/// <content>Pacing: above its rate the sentinel is held back and the pacer observes on time instead.</content>
public sealed partial class GcPauseCaptureTests
{
    private const string PacerThreadName = "RtProfiler GC";

    // Far below any collection rate these tests drive, so the pacer takes over within a handful of collections.
    private static readonly GcPauseCapture.PacingOptions s_slowPacing = new(RatePerSecond: 50, Burst: 5, PollsPerSecond: 200);

    [Fact]
    public async Task Above_The_Rate_The_Pacer_Observes_In_Place_Of_The_Sentinel_And_Every_Collection_Is_Accounted_For()
    {
        var clock = Stopwatch.StartNew();
        var capture = new GcPauseCapture(TimeProvider.System, armSentinel: true, s_slowPacing);
        capture.Start();
        try
        {
            GC.WaitForPendingFinalizers();
            capture.Poll();
            RuntimeSnapshot before = Totals(capture);
            long gen0Before = GC.CollectionCount(0);
            TimeSpan pauseBefore = GC.GetTotalPauseDuration();

            CollectUntil(() => capture.PacerPolls >= 20);
            Assert.True(capture.PacerPolls >= 20, $"the pacer observed {capture.PacerPolls} times");
            Assert.True(capture.HasPacer);

            // The sentinel kept to its token bucket: the first one, armed by Start, plus one per token (the burst,
            // then the rate), plus the one that found none each time it was held back and the one armed again
            // each time it was let go.
            double allowed = 1 + s_slowPacing.Burst + (s_slowPacing.RatePerSecond * clock.Elapsed.TotalSeconds) + (2 * capture.Holds);
            Assert.InRange(capture.SentinelsFinalized, s_slowPacing.Burst, allowed);

            // Once collections stop, the pacer's observations find the rate under the pacing rate and arm the sentinel again.
            Assert.True(SpinWait.SpinUntil(() => !capture.IsHeld, TimeSpan.FromSeconds(30)), "the sentinel was not armed again");
            long finalized = capture.SentinelsFinalized;
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            Assert.True(capture.SentinelsFinalized > finalized, "the sentinel did not observe the collection after it was armed again");

            // A full blocking collection last, so no background one is still running when the accounts are read.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            capture.Poll();
            RuntimeSnapshot after = Totals(capture);
            long missed = (long)(after.Values[(int)MetricId.GcPauseMissed] - before.Values[(int)MetricId.GcPauseMissed]);
            Assert.Equal(GC.CollectionCount(0) - gen0Before, Count(after) - Count(before) + missed);
            Assert.True(missed > 0, "collections far above the rate were all recorded: the pacer cannot have observed in the sentinel's place");
            Assert.True(Sum(after) - Sum(before) <= (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds + 1e-9);
        }
        finally
        {
            capture.Stop();
        }

        Assert.False(capture.HasPacer);
        Assert.Equal(0, await OsThreads.CountAsync(PacerThreadName, expected: 0));
    }

    [Fact]
    public async Task Stopping_While_The_Pacer_Observes_Under_Running_Collections_Leaves_No_Thread_Or_Sentinel_Behind()
    {
        var capture = new GcPauseCapture(TimeProvider.System, armSentinel: true, s_slowPacing);
        using var stop = new CancellationTokenSource();
        Task collector = AllocationLoad.Run(stop.Token);
        try
        {
            for (int i = 0; i < 30; i++)
            {
                capture.Start();
                Assert.True(SpinWait.SpinUntil(() => capture.IsHeld, TimeSpan.FromSeconds(30)), "the sentinel was never held back");
                if (i % 2 == 0)
                {
                    // Half the stops find the pacer between observations, half right after one.
                    long polls = capture.PacerPolls;
                    Assert.True(SpinWait.SpinUntil(() => capture.PacerPolls > polls, TimeSpan.FromSeconds(30)));
                }

                capture.Stop();
                Assert.False(capture.HasPacer);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await collector.WaitAsync(TimeSpan.FromSeconds(60));
        }

        long polled = capture.PacerPolls;
        Settle();
        Assert.Equal(polled, capture.PacerPolls);
        Assert.Equal(capture.SentinelsCreated, capture.SentinelsFinalized + capture.SentinelsSuppressed);
        Assert.Equal(0, await OsThreads.CountAsync(PacerThreadName, expected: 0));
    }

    [Theory]
    [InlineData(-1, 1, 100)]
    [InlineData(100, 0, 100)]
    [InlineData(100, 1, 0)]
    [InlineData(100, 1, 1001)]
    public void Pacing_Out_Of_Range_Is_Refused(int rate, int burst, int polls) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GcPauseCapture(TimeProvider.System, armSentinel: true, new(rate, burst, polls)));

    /// <summary>Forces generation 0 collections, letting the finalizer run after each, until the condition holds or 30 seconds pass.</summary>
    private static void CollectUntil(Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }
    }
}
