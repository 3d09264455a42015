using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Hosting;

#pragma warning disable IDE0130 // Extensions of IServiceCollection live in its namespace, as the platform's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds RuntimeProfiler to a host's services.</summary>
public static class RuntimeProfilerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the profiler, configured entirely from the <c>RuntimeProfiler</c> configuration section: settings and
    /// sinks (<c>RuntimeProfiler:Sinks:Console</c>, <c>Json</c>, <c>Meter</c>, <c>Prometheus</c>, <c>StatsD</c>). It starts and stops with the
    /// host; a missing section or a bad value stops the host from starting, with a message naming the key.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to add sinks in code.</returns>
    public static IRuntimeProfilerBuilder AddRuntimeProfiler(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        GetRegistry(services);
        return new RuntimeProfilerBuilder(services);
    }

    /// <summary>
    /// Adds the profiler with sinks added in code (<c>builder.AddStatsD(...).AddPrometheus().AddConsole()</c>); the <c>RuntimeProfiler</c>
    /// configuration section, when present, adds settings and sinks, and can switch off a sink with <c>"Enabled": false</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds sinks.</param>
    /// <returns>The builder.</returns>
    public static IRuntimeProfilerBuilder AddRuntimeProfiler(this IServiceCollection services, Action<IRuntimeProfilerBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        SinkRegistry registry = GetRegistry(services);
        registry.ConfiguredInCode = true;
        var builder = new RuntimeProfilerBuilder(services);
        configure(builder);
        return builder;
    }

    /// <summary>Gets the registry of this service collection, registering everything the profiler needs the first time.</summary>
    internal static SinkRegistry GetRegistry(IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(SinkRegistry) && descriptor.ImplementationInstance is SinkRegistry existing)
            {
                return existing;
            }
        }

        var registry = new SinkRegistry();
        services.AddSingleton(registry);
        BuiltInSinks.Register(services, registry);
        services.AddOptions<RuntimeProfilerHostingOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<RuntimeProfilerHostingOptions>>(sp => new RuntimeProfilerConfiguration(sp.GetService<IConfiguration>()));
        services.AddSingleton<IValidateOptions<RuntimeProfilerHostingOptions>>(sp => new RuntimeProfilerOptionsValidator(sp, registry));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RuntimeProfilerHostedService>());
        return registry;
    }
}
