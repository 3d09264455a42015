using Microsoft.Win32.SafeHandles;

namespace RuntimeProfiling.Benchmarks.Peers;

/// <summary>The floor: every raw runtime and /proc read a full sample needs, with nothing around them.</summary>
internal sealed class RawRuntimeReads : IDisposable
{
    private readonly byte[] _buffer = new byte[4096];
    private readonly SafeFileHandle _stat = File.OpenHandle($"/proc/self/task/{Environment.ProcessId}/stat");

    public double Read()
    {
        double sum = 0;
        sum += GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        sum += GC.GetTotalMemory(false) + GC.GetTotalAllocatedBytes(false) + GC.GetTotalPauseDuration().Ticks;
        Environment.ProcessCpuUsage cpu = Environment.CpuUsage;
        sum += cpu.UserTime.Ticks + cpu.PrivilegedTime.Ticks + Environment.ProcessorCount;
        sum += RandomAccess.Read(_stat, _buffer, 0);
        sum += ThreadPool.ThreadCount + ThreadPool.PendingWorkItemCount + ThreadPool.CompletedWorkItemCount;
        sum += Monitor.LockContentionCount + Timer.ActiveCount;
        sum += System.Runtime.JitInfo.GetCompiledILBytes() + System.Runtime.JitInfo.GetCompiledMethodCount() + System.Runtime.JitInfo.GetCompilationTime().Ticks;
        sum += TimeProvider.System.GetUtcNow().Ticks + TimeProvider.System.GetTimestamp();
        return sum;
    }

    public void Dispose() => _stat.Dispose();
}
