namespace RuntimeProfiling.StartupHook;

/// <summary>What the hook reads from and writes to its environment: the hook list, the status for <c>runtime-profiler run</c>, stderr.</summary>
internal static class HookEnvironment
{
    public const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

    /// <summary>Set by <c>runtime-profiler run</c>: a file the hook writes its outcome to, so the CLI can tell a process that never loaded it.</summary>
    public const string StatusFileVariable = "RUNTIMEPROFILER_STATUS_FILE";

    /// <summary>
    /// Takes this hook out of the process's <c>DOTNET_STARTUP_HOOKS</c>, as child processes will see it. Every
    /// .NET process the app starts would otherwise load the profiler too, and write to the same output.
    /// </summary>
    public static void RemoveFromStartupHooks(string hookPath)
    {
        string? hooks = Environment.GetEnvironmentVariable(StartupHooksVariable);
        if (string.IsNullOrEmpty(hooks))
        {
            return;
        }

        string[] entries = hooks.Split(Path.PathSeparator);
        var kept = new List<string>(entries.Length);
        foreach (string entry in entries)
        {
            if (entry.Length > 0 && !IsSameFile(entry, hookPath))
            {
                kept.Add(entry);
            }
        }

        Environment.SetEnvironmentVariable(StartupHooksVariable, kept.Count == 0 ? null : string.Join(Path.PathSeparator.ToString(), kept));
    }

    /// <summary>Tells <c>runtime-profiler run</c> whether the profiler started; does nothing when the CLI did not ask.</summary>
    public static void ReportStatus(string? error)
    {
        string? path = Environment.GetEnvironmentVariable(StatusFileVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        Environment.SetEnvironmentVariable(StatusFileVariable, null);
        try
        {
            File.WriteAllText(path, error is null ? "started\n" : "failed: " + error + "\n");
        }
        catch (IOException)
        {
            // The CLI is gone or its temp folder is: the status was for it alone.
        }
        catch (UnauthorizedAccessException)
        {
            // As above: nothing in the app depends on it.
        }
    }

    public static void WriteError(string message)
    {
        try
        {
            Console.Error.WriteLine("runtime-profiler: " + message);
        }
        catch (IOException)
        {
            // stderr is closed: there is nowhere left to say it.
        }
    }

    private static bool IsSameFile(string entry, string hookPath)
    {
        try
        {
            return string.Equals(Path.GetFullPath(entry), Path.GetFullPath(hookPath), StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }
}
