using System.Reflection;

namespace RuntimeProfiling.StartupHook;

/// <summary>Loads the profiler (the agent and the RuntimeProfiler library beside the hook) into a load context of its own and starts it.</summary>
internal static class AgentLoader
{
    public const string AgentFileName = "RuntimeProfiler.Agent.dll";
    public const int MinimumRuntimeMajorVersion = 10;
    private const string AgentType = "RuntimeProfiling.Agent.ProfilerAgent";
    private const string AgentMethod = "Start";

    /// <summary>Starts the profiler in this process.</summary>
    /// <returns><see langword="null"/> when it runs; otherwise why not, in words for a one-line message.</returns>
    public static string? Start(string hookPath)
    {
        Version runtime = Environment.Version;
        if (runtime.Major < MinimumRuntimeMajorVersion)
        {
            return $"this app runs on .NET {runtime.ToString(3)}, and the profiler needs .NET {MinimumRuntimeMajorVersion} or later; the app runs unprofiled";
        }

        string folder = Path.GetDirectoryName(hookPath) ?? ".";
        string agentPath = Path.Combine(folder, AgentFileName);
        if (!File.Exists(agentPath))
        {
            return $"{AgentFileName} is missing beside {hookPath} (copy the whole startup-hook folder); the app runs unprofiled";
        }

        var context = new AgentLoadContext(agentPath);
        Assembly agent = context.LoadFromAssemblyPath(agentPath);
        Type type = agent.GetType(AgentType, throwOnError: true)!;
        MethodInfo start = type.GetMethod(AgentMethod, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new MissingMethodException(AgentType, AgentMethod);
        return (string?)start.Invoke(null, null);
    }
}
