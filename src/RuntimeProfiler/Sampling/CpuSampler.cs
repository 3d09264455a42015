using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>Reads processor time (one <c>getrusage</c> call on Linux, no allocation) and the processor count.</summary>
internal static class CpuSampler
{
    public static void Read(Span<double> values)
    {
        Environment.ProcessCpuUsage usage = Environment.CpuUsage;
        values[(int)MetricId.ProcessCpuTimeUser] = usage.UserTime.TotalSeconds;
        values[(int)MetricId.ProcessCpuTimeSystem] = usage.PrivilegedTime.TotalSeconds;
        values[(int)MetricId.ProcessCpuCount] = Environment.ProcessorCount;
    }
}
