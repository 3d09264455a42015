using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RuntimeProfiling.Sinks.Meter;

#pragma warning disable IDE0130 // Builder extensions live in the builder's namespace, as OpenTelemetry's own do.
namespace OpenTelemetry.Metrics;
#pragma warning restore IDE0130

/// <summary>Adds RuntimeProfiler's figures to an OpenTelemetry meter provider.</summary>
public static class RuntimeProfilerMeterProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the <c>RuntimeProfiler</c> meter and makes sure it has figures to report: the meter sink samples
    /// the runtime when the exporter collects (at most once a second), and, in a host that also runs
    /// <c>services.AddRuntimeProfiler(b => b.AddMeter())</c>, shares that profiler's sink instead of adding another.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static MeterProviderBuilder AddRuntimeProfilerInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureServices(services =>
            services.TryAddSingleton(sp => new MeterSink(new MeterSinkOptions { MeterFactory = sp.GetService<IMeterFactory>() })));
        builder.AddMeter(MeterSink.MeterName);

        // Resolving the sink when the provider is built creates its instruments before the first collection.
        return builder.AddInstrumentation(sp => new RuntimeProfilerInstrumentation(sp.GetRequiredService<MeterSink>()));
    }
}
