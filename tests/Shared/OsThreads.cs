namespace RuntimeProfiling.Tests.Shared;

/// <summary>The process's operating-system threads by name, as /proc/self/task/*/comm shows them (Linux truncates names to 15 characters).</summary>
internal static class OsThreads
{
    public static int Count(string name) => Directory.GetDirectories("/proc/self/task")
        .Count(task => string.Equals(ReadComm(task), name, StringComparison.Ordinal));

    /// <summary>
    /// A thread that signalled its exit is gone a moment later, not at once: poll until the count is what is
    /// expected, giving up (and returning what is there) after a generous bound.
    /// </summary>
    public static async Task<int> CountAsync(string name, int expected)
    {
        for (int i = 0; i < 500; i++)
        {
            int now = Count(name);
            if (now == expected)
            {
                return now;
            }

            await Task.Delay(10);
        }

        return Count(name);
    }

    private static string? ReadComm(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null; // The thread exited between the listing and the read.
        }
    }
}
