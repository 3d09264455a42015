using System.Reflection;
using System.Runtime.Loader;

namespace RuntimeProfiling.StartupHook;

/// <summary>
/// The load context of the profiler inside the app: the agent and its dependencies (RuntimeProfiler.dll) load
/// here, from the hook's folder, as its <c>.deps.json</c> lists them, so an app that references another version
/// of them keeps its own. Framework assemblies are not listed there and come from the app's context, shared.
/// </summary>
internal sealed class AgentLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public AgentLoadContext(string agentPath)
        : base("RuntimeProfiler", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(agentPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }
}
