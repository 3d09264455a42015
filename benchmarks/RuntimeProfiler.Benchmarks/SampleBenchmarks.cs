using BenchmarkDotNet.Attributes;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Sinks.Json;

namespace RuntimeProfiling.Benchmarks;

/// <summary>
/// One sample of the runtime, and its JSON rendering. The floor is the same raw runtime reads with nothing
/// around them, so the ratio shows what the sampler's own bookkeeping costs.
/// </summary>
/// <remarks>Results: see docs/benchmarks.md (the table there is pasted from the last run of this class).</remarks>
[MemoryDiagnoser]
[MedianColumn]
public class SampleBenchmarks
{
    private readonly byte[] _statBuffer = new byte[4096];
    private RuntimeSampler _sampler = null!;
    private RuntimeSnapshot _current = null!;
    private RuntimeSnapshot _previous = null!;
    private JsonLinesSink _json = null!;
    private Microsoft.Win32.SafeHandles.SafeFileHandle _stat = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sampler = new RuntimeSampler(TimeProvider.System);
        _sampler.Start();
        _current = new RuntimeSnapshot();
        _previous = new RuntimeSnapshot();
        _sampler.Read(_previous, null);
        _json = new JsonLinesSink(Stream.Null);
        _stat = File.OpenHandle($"/proc/self/task/{Environment.ProcessId}/stat");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sampler.Dispose();
        _stat.Dispose();
    }

    /// <summary>The raw reads a sample needs, nothing else: the floor.</summary>
    [Benchmark(Baseline = true)]
    public double RawReads()
    {
        double sum = 0;
        sum += GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        sum += GC.GetTotalMemory(false) + GC.GetTotalAllocatedBytes(false) + GC.GetTotalPauseDuration().Ticks;
        Environment.ProcessCpuUsage cpu = Environment.CpuUsage;
        sum += cpu.UserTime.Ticks + cpu.PrivilegedTime.Ticks + Environment.ProcessorCount;
        sum += RandomAccess.Read(_stat, _statBuffer, 0);
        sum += ThreadPool.ThreadCount + ThreadPool.PendingWorkItemCount + ThreadPool.CompletedWorkItemCount;
        sum += Monitor.LockContentionCount + Timer.ActiveCount;
        sum += System.Runtime.JitInfo.GetCompiledILBytes() + System.Runtime.JitInfo.GetCompiledMethodCount() + System.Runtime.JitInfo.GetCompilationTime().Ticks;
        sum += TimeProvider.System.GetUtcNow().Ticks + TimeProvider.System.GetTimestamp();
        return sum;
    }

    /// <summary>One full sample, as the profiler takes it on every tick.</summary>
    [Benchmark]
    public void Sample()
    {
        _sampler.Read(_current, _previous);
        (_current, _previous) = (_previous, _current);
    }

    /// <summary>One sample rendered as a JSON line (to a null stream).</summary>
    [Benchmark]
    public void JsonLine() => _json.WriteAsync(_previous, CancellationToken.None).GetAwaiter().GetResult();
}
