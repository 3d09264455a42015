using Microsoft.Extensions.DependencyInjection;

namespace RuntimeProfiling.Hosting;

/// <summary>Configures the sinks of the profiler added by <c>services.AddRuntimeProfiler(...)</c>.</summary>
public interface IRuntimeProfilerBuilder
{
    /// <summary>Gets the service collection the profiler is added to.</summary>
    public IServiceCollection Services { get; }
}
