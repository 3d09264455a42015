using Microsoft.Extensions.DependencyInjection;

namespace RuntimeProfiling.Hosting;

internal sealed class RuntimeProfilerBuilder(IServiceCollection services) : IRuntimeProfilerBuilder
{
    public IServiceCollection Services { get; } = services;
}
