using System.Globalization;

namespace RuntimeProfiling.Benchmarks.GcCapture;

/// <summary>Processor time of the calling thread and process figures, from /proc (Linux).</summary>
internal static class ThreadStat
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>Reads utime + stime of the calling thread from /proc/thread-self/stat.</summary>
    public static TimeSpan CurrentThreadCpu()
    {
        string text = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Resident set size of the process, in bytes, from /proc/self/statm.</summary>
    public static long ResidentBytes()
    {
        string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    /// <summary>Operating-system threads of the process.</summary>
    public static int Threads() => Directory.GetDirectories("/proc/self/task").Length;
}
