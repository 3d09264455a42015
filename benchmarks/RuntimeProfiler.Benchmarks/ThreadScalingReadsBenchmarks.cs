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
    private readonly List<Thread> _threads = [];
    private readonly ManualResetEventSlim _release = new(false);
    private readonly byte[] _buffer = new byte[4096];
    private SafeFileHandle _processStat = null!;
    private SafeFileHandle _mainThreadStat = null!;

    [Params(8, 500)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int existing = Directory.GetDirectories("/proc/self/task").Length;
        for (int i = existing; i < Threads; i++)
        {
            var thread = new Thread(() => _release.Wait(), maxStackSize: 64 * 1024) { IsBackground = true };
            thread.Start();
            _threads.Add(thread);
        }

        _processStat = File.OpenHandle("/proc/self/stat");
        _mainThreadStat = File.OpenHandle($"/proc/self/task/{Environment.ProcessId}/stat");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _release.Set();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _processStat.Dispose();
        _mainThreadStat.Dispose();
        _release.Dispose();
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
