namespace RuntimeProfiling.Cli.Run;

/// <summary>The startup hook as the tool ships it: <c>startup-hook/</c> beside the tool's own assembly.</summary>
internal static class StartupHookFiles
{
    public const string FolderName = "startup-hook";
    public const string HookFileName = "RuntimeProfiler.StartupHook.dll";
    public const string AgentFileName = "RuntimeProfiler.Agent.dll";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, FolderName);

    public static string HookPath => Path.Combine(Folder, HookFileName);

    /// <summary>Gets the hook's full path.</summary>
    /// <exception cref="CliException">The tool's startup-hook folder is incomplete.</exception>
    public static string Find()
    {
        foreach (string file in new[] { HookFileName, AgentFileName, "RuntimeProfiler.Agent.deps.json", "RuntimeProfiler.dll" })
        {
            if (!File.Exists(Path.Combine(Folder, file)))
            {
                throw new CliException($"the startup hook is incomplete: {Path.Combine(Folder, file)} is missing (reinstall the tool)");
            }
        }

        return HookPath;
    }
}
