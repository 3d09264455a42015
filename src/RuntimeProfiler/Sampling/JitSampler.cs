using System.Runtime;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>Reads the JIT totals from <see cref="JitInfo"/>.</summary>
internal static class JitSampler
{
    public static void Read(Span<double> values)
    {
        values[(int)MetricId.JitCompiledIlSize] = JitInfo.GetCompiledILBytes();
        values[(int)MetricId.JitCompiledMethods] = JitInfo.GetCompiledMethodCount();
        values[(int)MetricId.JitCompilationTime] = JitInfo.GetCompilationTime().TotalSeconds;
    }
}
