// Latest results (2026-11-26, shared 2-vCPU container, load average 1.6-3; see docs/gc-pauses.md):
// | Method              | Mean     | Error    | StdDev    | Median   | Ratio | RatioSD |
// | Collect             | 33.86 us | 2.203 us |  6.497 us | 33.10 us |  1.04 |    0.28 |
// | CollectWithSentinel | 44.19 us | 3.424 us | 10.095 us | 40.76 us |  1.35 |    0.40 |
// | CollectThenObserve  | 38.87 us | 2.930 us |  8.547 us | 36.96 us |  1.19 |    0.34 |
// | CollectWithListener | 61.36 us | 4.320 us | 12.670 us | 57.58 us |  1.88 |    0.52 |
using BenchmarkDotNet.Attributes;
using RuntimeProfiling.Benchmarks.GcCapture;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Benchmarks;

/// <summary>
/// What each capture mechanism adds to one garbage collection, measured on an induced gen0 collection with 64
/// small survivors (a gen0 collection with none skips its copying phases and is several times cheaper, which
/// would charge the sentinel, itself a survivor, with that whole difference):
/// <list type="bullet">
/// <item><c>Collect</c>: nothing captures (the floor).</item>
/// <item><c>CollectWithSentinel</c>: the shipped capture is running; its finalizer does its work on the finalizer
/// thread, so this shows what the sentinel costs the collection itself (one more finalizable object).</item>
/// <item><c>CollectThenObserve</c>: the capture's observation done inline (what the finalizer thread spends per
/// collection, minus the wake-up), and its allocation: one <see cref="GCMemoryInfo"/>.</item>
/// <item><c>CollectWithListener</c>: an in-process EventListener on the GC events is enabled; the runtime writes
/// the events during the collection, so this shows what the listener adds to every pause.</item>
/// </list>
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/RuntimeProfiler.Benchmarks -- --filter '*GcCaptureBenchmarks*'</c>.
/// Results and the machine they ran on: docs/gc-pauses.md.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class GcCaptureBenchmarks
{
    private readonly object[] _survivors = new object[64];
    private GcPauseCapture? _capture;
    private EventListenerMechanism? _listener;

    [GlobalSetup(Target = nameof(CollectWithSentinel))]
    public void StartSentinel()
    {
        _capture = new GcPauseCapture(TimeProvider.System);
        _capture.Start();
    }

    [GlobalSetup(Target = nameof(CollectThenObserve))]
    public void StartUnarmed()
    {
        _capture = new GcPauseCapture(TimeProvider.System, armSentinel: false);
        _capture.Start();
    }

    [GlobalSetup(Target = nameof(CollectWithListener))]
    public void StartListener() => _listener = new EventListenerMechanism();

    [GlobalCleanup]
    public void Cleanup()
    {
        _capture?.Stop();
        _listener?.Dispose();
    }

    /// <summary>An induced gen0 collection with nothing capturing.</summary>
    [Benchmark(Baseline = true)]
    public void Collect() => CollectWithSurvivors();

    /// <summary>The same, with the sentinel armed.</summary>
    [Benchmark]
    public void CollectWithSentinel() => CollectWithSurvivors();

    /// <summary>The same, then the capture's observation of it on this thread.</summary>
    [Benchmark]
    public void CollectThenObserve()
    {
        CollectWithSurvivors();
        _capture!.Poll();
    }

    /// <summary>The same, with an in-process listener enabled on the GC events.</summary>
    [Benchmark]
    public void CollectWithListener() => CollectWithSurvivors();

    private void CollectWithSurvivors()
    {
        for (int i = 0; i < _survivors.Length; i++)
        {
            _survivors[i] = new byte[32];
        }

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
    }
}
