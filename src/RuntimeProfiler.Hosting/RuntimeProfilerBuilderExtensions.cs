using Microsoft.Extensions.DependencyInjection;
using RuntimeProfiling.Sinks.Console;

namespace RuntimeProfiling.Hosting;

/// <summary>Adds sinks to the hosted profiler. Each sink can also be turned on, and set, from configuration under <c>RuntimeProfiler:Sinks:&lt;Name&gt;</c>.</summary>
public static class RuntimeProfilerBuilderExtensions
{
    /// <summary>Adds the console table sink, writing to standard output.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IRuntimeProfilerBuilder AddConsole(this IRuntimeProfilerBuilder builder) => builder.AddConsole(_ => { });

    /// <summary>Adds the console table sink, writing to standard output, with settings applied after configuration's.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the sink's options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IRuntimeProfilerBuilder AddConsole(this IRuntimeProfilerBuilder builder, Action<ConsoleSinkOptions> configure) =>
        Enable(builder, BuiltInSinks.Console, configure);

    /// <summary>Adds the JSON Lines sink, writing to standard output.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IRuntimeProfilerBuilder AddJsonLines(this IRuntimeProfilerBuilder builder) => builder.AddJsonLines(_ => { });

    /// <summary>Adds the JSON Lines sink, with settings (output, naming) applied after configuration's.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the sink's options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IRuntimeProfilerBuilder AddJsonLines(this IRuntimeProfilerBuilder builder, Action<JsonLinesHostingOptions> configure) =>
        Enable(builder, BuiltInSinks.Json, configure);

    /// <summary>
    /// Publishes the figures as instruments of the <c>RuntimeProfiler</c> meter (System.Diagnostics.Metrics), for
    /// OpenTelemetry, <c>dotnet-counters</c> or any <c>MeterListener</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IRuntimeProfilerBuilder AddMeter(this IRuntimeProfilerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        RuntimeProfilerServiceCollectionExtensions.GetRegistry(builder.Services).Enable(BuiltInSinks.Meter);
        return builder;
    }

    private static IRuntimeProfilerBuilder Enable<TOptions>(IRuntimeProfilerBuilder builder, string name, Action<TOptions> configure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        RuntimeProfilerServiceCollectionExtensions.GetRegistry(builder.Services).Enable(name);
        builder.Services.Configure(configure);
        return builder;
    }
}
