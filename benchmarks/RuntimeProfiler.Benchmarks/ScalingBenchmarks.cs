using BenchmarkDotNet.Attributes;
using RuntimeProfiling.Benchmarks.Peers;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Benchmarks;

/// <summary>
/// The cost of a sample as the process grows: 8 or 500 threads, 10 or 1,000 open files. Ours reads two
/// figures that sum over threads (CPU time from the kernel, lock contentions from the runtime); a Process-based sampler enumerates
/// every thread and every handle.
/// </summary>
/// <remarks>Needs a file-descriptor limit above 1,100 (<c>ulimit -n 4096</c>). Results: docs/benchmarks.md.</remarks>
[MemoryDiagnoser]
[MedianColumn]
public class ScalingBenchmarks
{
    private readonly List<FileStream> _files = [];
    private IdleThreads _idleThreads = null!;
    private string _folder = null!;
    private RawRuntimeReads _floor = null!;
    private RuntimeSampler _sampler = null!;
    private RuntimeSnapshot _current = null!;
    private RuntimeSnapshot _previous = null!;
    private SystemRuntimeMeterReader _systemRuntime = null!;

    [Params(8, 500)]
    public int Threads { get; set; }

    [Params(10, 1000)]
    public int OpenFiles { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _idleThreads = new IdleThreads(Threads);

        _folder = Directory.CreateTempSubdirectory("runtime-profiler-bench-").FullName;
        int open = Directory.GetFiles("/proc/self/fd").Length;
        for (int i = open; i < OpenFiles; i++)
        {
            _files.Add(new FileStream(Path.Combine(_folder, $"{i}.tmp"), FileMode.Create, FileAccess.ReadWrite, FileShare.None));
        }

        _floor = new RawRuntimeReads();
        _sampler = new RuntimeSampler(TimeProvider.System);
        _sampler.Start();
        _current = new RuntimeSnapshot();
        _previous = new RuntimeSnapshot();
        _sampler.Read(_previous, null);
        _systemRuntime = new SystemRuntimeMeterReader();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _idleThreads.Dispose();
        foreach (FileStream file in _files)
        {
            file.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
        _floor.Dispose();
        _sampler.Dispose();
        _systemRuntime.Dispose();
    }

    [Benchmark(Baseline = true)]
    public double Floor() => _floor.Read();

    [Benchmark]
    public void OurSample()
    {
        _sampler.Read(_current, _previous);
        (_current, _previous) = (_previous, _current);
    }

    [Benchmark]
    public double SystemRuntimeMeter() => _systemRuntime.Collect();

    [Benchmark]
    public double ProcessBasedSampler() => ProcessSampler.Read();
}
