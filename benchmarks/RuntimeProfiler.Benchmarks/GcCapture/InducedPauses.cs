using System.Diagnostics;
using System.Globalization;

namespace RuntimeProfiling.Benchmarks.GcCapture;

/// <summary>
/// What a mechanism does to the pauses themselves: induced gen0 collections on an otherwise idle process, each
/// pause taken from the runtime's own accounting (<see cref="GC.GetTotalPauseDuration"/> before and after), so
/// event writing inside the collection (listener) or the sentinel's finalization work shows up. The gap between
/// collections lets the capture finish its work. Every collection has survivors, as in any real application:
/// a gen0 collection with none skips its copying phases and is several times cheaper, so a mechanism that adds
/// the first survivor (the sentinel does) would look far costlier than it is.
/// </summary>
internal static class InducedPauses
{
    public static string Run(string mode, IPauseCaptureMechanism? mechanism, int count, TimeSpan gap)
    {
        double[] pauses = new double[count];
        double[] calls = new double[count];
        object[] survivors = new object[64];
        for (int i = -count / 10; i < count; i++)
        {
            for (int s = 0; s < survivors.Length; s++)
            {
                survivors[s] = new byte[32];
            }

            TimeSpan before = GC.GetTotalPauseDuration();
            long started = Stopwatch.GetTimestamp();
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            long ended = Stopwatch.GetTimestamp();
            if (i >= 0)
            {
                pauses[i] = (GC.GetTotalPauseDuration() - before).TotalMicroseconds;
                calls[i] = Stopwatch.GetElapsedTime(started, ended).TotalMicroseconds;
            }

            Wait(gap);
        }

        GC.KeepAlive(survivors);

        (long recorded, _, long missed, _) = mechanism?.Totals ?? default;
        Array.Sort(pauses);
        Array.Sort(calls);
        double P(double[] a, double q) => a[Math.Min(a.Length - 1, (int)(q * a.Length))];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"induced mode={mode} gcs={count} gap_us={gap.TotalMicroseconds:0} pause_us_p50={P(pauses, 0.5):0.0} pause_us_p90={P(pauses, 0.9):0.0} pause_us_p99={P(pauses, 0.99):0.0} pause_us_mean={pauses.Average():0.0} " +
            $"collect_call_us_p50={P(calls, 0.5):0.0} collect_call_us_p99={P(calls, 0.99):0.0} recorded={recorded} missed={missed}");
    }

    private static void Wait(TimeSpan gap)
    {
        if (gap >= TimeSpan.FromMilliseconds(1))
        {
            Thread.Sleep(gap);
            return;
        }

        long until = Stopwatch.GetTimestamp() + (long)(gap.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(10);
        }
    }
}
