using System.Diagnostics;

namespace RuntimeProfiling.Benchmarks.Peers;

/// <summary>What a Process-based sampler reads on every tick: working set, private memory, CPU time, threads, handles.</summary>
internal static class ProcessSampler
{
    public static double Read()
    {
        using Process process = Process.GetCurrentProcess();
        return process.WorkingSet64 + process.PrivateMemorySize64 + process.TotalProcessorTime.Ticks + process.Threads.Count + process.HandleCount;
    }
}
