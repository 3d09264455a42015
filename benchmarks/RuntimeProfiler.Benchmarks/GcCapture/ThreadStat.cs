using System.Globalization;

namespace RuntimeProfiling.Benchmarks.GcCapture;

/// <summary>Processor time of the calling thread and process figures, from /proc (Linux).</summary>
internal static class ThreadStat
{
    /// <summary>Reads the calling thread's time on a CPU, to the nanosecond, from /proc/thread-self/schedstat.</summary>
    public static TimeSpan CurrentThreadCpu() => ScheduledTime("/proc/thread-self/schedstat");

    /// <summary>Sums the time on a CPU of the process's threads with this name (as Linux shows it, at most 15 characters).</summary>
    public static TimeSpan NamedThreadsCpu(string name)
    {
        TimeSpan total = TimeSpan.Zero;
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == name)
                {
                    total += ScheduledTime(Path.Combine(task, "schedstat"));
                }
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return total;
    }

    private static TimeSpan ScheduledTime(string schedstat)
    {
        string text = File.ReadAllText(schedstat);
        return TimeSpan.FromMicroseconds(long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture) / 1000.0);
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
