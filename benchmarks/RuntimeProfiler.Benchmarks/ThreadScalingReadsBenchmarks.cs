using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;

namespace RuntimeProfiling.Benchmarks;

/// <summary>
/// The reads of a sample whose cost could grow with the thread count, one by one, at 8 and 500 threads: the
/// process-wide stat file against the main thread's (the one the sampler reads), <c>getrusage</c> behind
/// <see cref="Environment.CpuUsage"/>, and <see cref="Monitor.LockContentionCount"/>.
/// </summary>
/// <remarks>Results: docs/benchmarks.md, "As the process grows".</remarks>
[MemoryDiagnoser]
[MedianColumn]
public class ThreadScalingReadsBenchmarks
{
    private readonly byte[] _buffer = new byte[4096];
    private IdleThreads _idleThreads = null!;
    private SafeFileHandle _processStat = null!;
    private SafeFileHandle _mainThreadStat = null!;

    [Params(8, 500)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _idleThreads = new IdleThreads(Threads);

        _processStat = File.OpenHandle("/proc/self/stat");
        _mainThreadStat = File.OpenHandle($"/proc/self/task/{Environment.ProcessId}/stat");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _idleThreads.Dispose();
        _processStat.Dispose();
        _mainThreadStat.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int ProcessStat() => RandomAccess.Read(_processStat, _buffer, 0);

    [Benchmark]
    public int MainThreadStat() => RandomAccess.Read(_mainThreadStat, _buffer, 0);

    [Benchmark]
    public TimeSpan CpuUsage() => Environment.CpuUsage.TotalTime;

    [Benchmark]
    public long LockContentionCount() => Monitor.LockContentionCount;
}
