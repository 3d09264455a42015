using System.Diagnostics;
using System.Globalization;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Benchmarks.GcCapture;

/// <summary>
/// <c>gc-capture</c> mode of the benchmark program: runs the allocation workload with one capture mechanism
/// (or none) and prints one line of figures. Throughput is measured across processes (one mode per process,
/// so nothing of one mechanism lingers into another); see docs/gc-pauses.md for the runs and the script.
/// </summary>
/// <remarks>
/// Usage: <c>gc-capture --mode none|sentinel|sentinel-unpaced|listener [--seconds 10] [--warmup 2] [--threads 1] [--pace 0]
/// [--report 0] [--delay-probes 0] [--pacing RATE:BURST:POLLS]</c>. <c>--pace</c> holds the GC rate at that many per second with sleeps
/// (for long runs that leave the machine's other core free); <c>--report</c> prints a progress line every that
/// many seconds; <c>--delay-probes</c> induces that many gen0 GCs from a probe thread, 20 ms apart, and reports
/// how long after <c>GC.Collect</c> returned the mechanism delivered each. <c>--induced N [--gap-us 1000]</c>
/// runs no workload: it induces N gen0 GCs that far apart and reports their pauses (see <see cref="InducedPauses"/>).
/// <c>--pacing</c> sets the sentinel's pacing in place of the shipped one; <c>sentinel-unpaced</c> turns it off.
/// </remarks>
internal static class GcCaptureHarness
{
    public static int Run(string[] args)
    {
        string mode = Arg(args, "--mode", "none");
        double seconds = double.Parse(Arg(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        double warmup = double.Parse(Arg(args, "--warmup", "2"), CultureInfo.InvariantCulture);
        int threads = int.Parse(Arg(args, "--threads", "1"), CultureInfo.InvariantCulture);
        double pace = double.Parse(Arg(args, "--pace", "0"), CultureInfo.InvariantCulture);
        double report = double.Parse(Arg(args, "--report", "0"), CultureInfo.InvariantCulture);
        int probes = int.Parse(Arg(args, "--delay-probes", "0"), CultureInfo.InvariantCulture);
        int induced = int.Parse(Arg(args, "--induced", "0"), CultureInfo.InvariantCulture);
        double gapMicroseconds = double.Parse(Arg(args, "--gap-us", "1000"), CultureInfo.InvariantCulture);
        string[] paceArg = Arg(args, "--pacing", string.Empty).Split(':');
        GcPauseCapture.PacingOptions pacing = paceArg[0].Length == 0 ? GcPauseCapture.PacingOptions.Default
            : new(int.Parse(paceArg[0], CultureInfo.InvariantCulture), int.Parse(paceArg[1], CultureInfo.InvariantCulture), int.Parse(paceArg[2], CultureInfo.InvariantCulture));

        using IPauseCaptureMechanism? mechanism = mode switch
        {
            "none" => null,
            "sentinel" => new SentinelMechanism(pacing),
            "sentinel-unpaced" => new SentinelMechanism(GcPauseCapture.PacingOptions.Off),
            "listener" => new EventListenerMechanism(),
            _ => throw new ArgumentException("--mode must be none, sentinel, sentinel-unpaced or listener"),
        };

        if (induced > 0)
        {
            Console.WriteLine(InducedPauses.Run(mode, mechanism, induced, TimeSpan.FromMicroseconds(gapMicroseconds)));
            return 0;
        }

        using var workload = new AllocationWorkload(threads, pace);
        workload.Start();
        Sleep(TimeSpan.FromSeconds(warmup), mechanism);

        Mark start = Mark.Take(workload, mechanism);
        var delays = new List<double>();
        Thread? prober = probes > 0 && mechanism is not null ? StartProber(mechanism, probes, delays) : null;
        var clock = Stopwatch.StartNew();
        Mark last = start;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            double step = report > 0 ? Math.Min(report, seconds - clock.Elapsed.TotalSeconds) : seconds - clock.Elapsed.TotalSeconds;
            Sleep(TimeSpan.FromSeconds(step), mechanism);
            if (report > 0)
            {
                Mark now = Mark.Take(workload, mechanism);
                Console.WriteLine(Line("progress", mode, start, now, last, clock.Elapsed.TotalSeconds));
                last = now;
            }
        }

        prober?.Join();
        Mark end = Mark.Take(workload, mechanism);
        Console.WriteLine(Line("result", mode, start, end, start, clock.Elapsed.TotalSeconds) + DelayFigures(delays));
        return 0;
    }

    private static void Sleep(TimeSpan duration, IPauseCaptureMechanism? mechanism)
    {
        // The profiler's tick, once a second: the sentinel's catch-up read.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(1, Math.Min(1000, (duration - clock.Elapsed).TotalMilliseconds))));
            mechanism?.Tick();
        }
    }

    private static Thread StartProber(IPauseCaptureMechanism mechanism, int probes, List<double> delays)
    {
        var thread = new Thread(() =>
        {
            for (int i = 0; i < probes; i++)
            {
                Thread.Sleep(20);
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                DateTimeOffset returned = DateTimeOffset.UtcNow;
                long index = GC.CollectionCount(0);
                var wait = Stopwatch.StartNew();
                while (wait.ElapsedMilliseconds < 2000)
                {
                    if (mechanism.TryGetDeliveredAt(index, out DateTimeOffset deliveredAt))
                    {
                        lock (delays)
                        {
                            delays.Add((deliveredAt - returned).TotalMilliseconds);
                        }

                        break;
                    }

                    Thread.Yield();
                }
            }
        })
        { IsBackground = true, Name = "delay probe" };
        thread.Start();
        return thread;
    }

    private static string DelayFigures(List<double> delays)
    {
        if (delays.Count == 0)
        {
            return string.Empty;
        }

        delays.Sort();
        double P(double q) => delays[Math.Min(delays.Count - 1, (int)(q * delays.Count))];
        return string.Create(CultureInfo.InvariantCulture, $" delay_n={delays.Count} delay_ms_p50={P(0.5):0.000} delay_ms_p90={P(0.9):0.000} delay_ms_p99={P(0.99):0.000} delay_ms_max={delays[^1]:0.000}");
    }

    private static string Line(string kind, string mode, Mark start, Mark now, Mark previous, double elapsed)
    {
        double window = (now.Time - previous.Time).TotalSeconds;
        long gcs = now.Gen0 - start.Gen0;
        long recorded = now.Recorded - start.Recorded;
        long missed = now.Missed - start.Missed;
        long recovered = now.Recovered - start.Recovered;
        double allocPerGc = now.ThreadGen0 > start.ThreadGen0 ? (now.ThreadAllocated - start.ThreadAllocated) / (double)(now.ThreadGen0 - start.ThreadGen0) : double.NaN;
        double threadCpuPerGc = now.ThreadGen0 > start.ThreadGen0 ? (now.ThreadCpu - start.ThreadCpu).TotalMicroseconds / (now.ThreadGen0 - start.ThreadGen0) : double.NaN;
        double pacerCpuPerGc = gcs > 0 ? (now.PacerCpu - start.PacerCpu).TotalMicroseconds / gcs : double.NaN;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{kind} mode={mode} t={elapsed:0} allocs_per_s={(now.Allocations - previous.Allocations) / window:0} allocs_per_cpu_s={(now.Allocations - previous.Allocations) / (now.Cpu - previous.Cpu).TotalSeconds:0} gcs_per_s={(now.Gen0 - previous.Gen0) / window:0} gcs={gcs} recorded={recorded} recovered={recovered} missed={missed} polls={now.Polls - start.Polls} unresolved={gcs - recorded - missed} " +
            $"pause_recorded_ms={(now.PauseSum - start.PauseSum).TotalMilliseconds:0.000} pause_total_ms={(now.TotalPause - start.TotalPause).TotalMilliseconds:0.000} " +
            $"cpu_pct={(now.Cpu - previous.Cpu).TotalSeconds / window * 100:0.0} deliver_cpu_us_per_gc={threadCpuPerGc:0.00} pacer_cpu_us_per_gc={pacerCpuPerGc:0.00} deliver_alloc_b_per_gc={allocPerGc:0.0} " +
            $"rss_mb={now.Rss / 1048576.0:0.0} heap_mb={now.Heap / 1048576.0:0.0} committed_mb={now.Committed / 1048576.0:0.0} threads={now.Threads}");
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private sealed record Mark(
        DateTimeOffset Time, long Allocations, long Gen0, TimeSpan TotalPause, long Recorded, long Recovered, long Missed, long Polls, TimeSpan PauseSum,
        TimeSpan Cpu, TimeSpan PacerCpu, long ThreadAllocated, TimeSpan ThreadCpu, long ThreadGen0, long Rss, long Heap, long Committed, int Threads)
    {
        public static Mark Take(AllocationWorkload workload, IPauseCaptureMechanism? mechanism)
        {
            // The delivering thread samples itself at its next callback: ask, then wait for the GCs to bring one.
            (long, TimeSpan) thread = default;
            long threadGen0 = 0;
            if (mechanism is not null)
            {
                (long, TimeSpan) before = mechanism.DeliveringThread;
                mechanism.RequestThreadSample();
                var wait = Stopwatch.StartNew();
                while (mechanism.DeliveringThread == before && wait.ElapsedMilliseconds < 1000)
                {
                    Thread.Sleep(1);
                }

                thread = mechanism.DeliveringThread;
                threadGen0 = GC.CollectionCount(0);
            }

            (long recorded, long recovered, long missed, TimeSpan sum) = mechanism?.Totals ?? default;
            GCMemoryInfo info = GC.GetGCMemoryInfo();
            Environment.ProcessCpuUsage cpu = Environment.CpuUsage;
            return new Mark(
                DateTimeOffset.UtcNow, workload.Allocations, GC.CollectionCount(0), GC.GetTotalPauseDuration(), recorded, recovered, missed, mechanism?.Polls ?? 0, sum,
                cpu.TotalTime, ThreadStat.NamedThreadsCpu("RtProfiler GC"), thread.Item1, thread.Item2, threadGen0, ThreadStat.ResidentBytes(), info.HeapSizeBytes, info.TotalCommittedBytes, ThreadStat.Threads());
        }
    }
}
