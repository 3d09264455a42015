using System.Globalization;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Cli.Attach;

/// <summary>What <c>/proc</c> tells about another process: whether it lives, its name, command line, owner and start time.</summary>
internal sealed class TargetProcess
{
    private TargetProcess(int id, string name, string commandLine, long? ownerId, long? startTime)
    {
        Id = id;
        Name = name;
        CommandLine = commandLine;
        OwnerId = ownerId;
        StartTime = startTime;
    }

    public int Id { get; }

    public string Name { get; }

    public string CommandLine { get; }

    /// <summary>Gets the real user id, when <c>/proc</c> tells it.</summary>
    public long? OwnerId { get; }

    /// <summary>Gets the start time in clock ticks since boot (field 22 of <c>/proc/[pid]/stat</c>): the key the runtime puts in its diagnostic socket's name.</summary>
    public long? StartTime { get; }

    /// <summary>Gets the current process's real user id, when <c>/proc</c> tells it.</summary>
    public static long? CurrentUserId => ReadUserId("self");

    /// <summary>Finds a live process by id.</summary>
    /// <returns><see langword="null"/> when no process has that id (or it is a zombie, already exited).</returns>
    public static TargetProcess? Find(int id)
    {
        string folder = $"/proc/{id.ToString(CultureInfo.InvariantCulture)}";
        if (!OperatingSystem.IsLinux())
        {
            return new TargetProcess(id, "?", string.Empty, null, null);
        }

        string? stat = ReadText(Path.Combine(folder, "stat"));
        if (stat is null)
        {
            return null;
        }

        // The name is in parentheses and may hold spaces and parentheses itself: fields resume after the last ')'.
        int open = stat.IndexOf('(', StringComparison.Ordinal);
        int close = stat.LastIndexOf(')');
        string name = open >= 0 && close > open ? stat[(open + 1)..close] : "?";
        string[] fields = close >= 0 ? stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (fields.Length > 0 && fields[0] == "Z")
        {
            return null;
        }

        // After the name, field 3 (state) is at [0]: field 22 (starttime) is at [19].
        long? startTime = fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start) ? start : null;
        string commandLine = (ReadText(Path.Combine(folder, "cmdline")) ?? string.Empty).Replace('\0', ' ').Trim();
        return new TargetProcess(id, name, commandLine, ReadUserId(id.ToString(CultureInfo.InvariantCulture)), startTime);
    }

    /// <summary>
    /// Describes the process for a live page's header: its name, id and start time. Its runtime and GC mode stay
    /// unknown: the diagnostic port does not tell them.
    /// </summary>
    public ProcessDescription Describe()
    {
        DateTimeOffset? started = null;

        // The start time is in clock ticks since boot; boot time is "btime" in /proc/stat. Linux's USER_HZ is 100.
        string? stat = OperatingSystem.IsLinux() ? ReadText("/proc/stat") : null;
        string? boot = stat?.Split('\n').FirstOrDefault(l => l.StartsWith("btime ", StringComparison.Ordinal));
        if (StartTime is { } ticks && boot is not null && long.TryParse(boot.AsSpan(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long bootSeconds))
        {
            started = DateTimeOffset.FromUnixTimeMilliseconds((bootSeconds * 1000) + (ticks * 10));
        }

        return new ProcessDescription(Name, Id, runtime: null, gcMode: null, started);
    }

    /// <summary>Describes the process for messages: <c>1234 (dotnet)</c>.</summary>
    public override string ToString() => $"{Id.ToString(CultureInfo.InvariantCulture)} ({Name})";

    private static long? ReadUserId(string process)
    {
        string? status = ReadText($"/proc/{process}/status");
        if (status is null)
        {
            return null;
        }

        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                string[] ids = line[4..].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                return ids.Length > 0 && long.TryParse(ids[0], NumberStyles.None, CultureInfo.InvariantCulture, out long uid) ? uid : null;
            }
        }

        return null;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
