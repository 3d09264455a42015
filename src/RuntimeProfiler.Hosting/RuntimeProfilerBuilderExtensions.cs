using Microsoft.Extensions.DependencyInjection;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Prometheus;

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

    /// <summary>
    /// Serves the figures to Prometheus from a small HTTP server of the profiler's own (no ASP.NET Core needed), on
    /// <c>http://127.0.0.1:9464/metrics</c> unless configuration (<c>RuntimeProfiler:Sinks:Prometheus</c>) says otherwise.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>See <see cref="AddPrometheus(IRuntimeProfilerBuilder, Action{PrometheusEndpointOptions})"/>.</remarks>
    public static IRuntimeProfilerBuilder AddPrometheus(this IRuntimeProfilerBuilder builder) => builder.AddPrometheus(_ => { });

    /// <summary>
    /// Serves the figures to Prometheus from a small HTTP server of the profiler's own (no ASP.NET Core needed), with
    /// settings (address, port, path, naming, limits) applied after configuration's.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the endpoint's options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// The endpoint reads the runtime at scrape time, whatever the profiler's interval. It starts listening when the
    /// host starts: settings out of range stop the host from starting with a message naming the key, and so does an
    /// address or port it cannot bind (a port in use). It logs its address (the actual port when the port is 0) and
    /// stops listening when the host stops. In an ASP.NET Core app, <c>app.MapRuntimeProfilerMetrics("/metrics")</c>
    /// (package <c>RuntimeProfiler.AspNetCore</c>) serves the same figures on the app's own server instead.
    /// </remarks>
    public static IRuntimeProfilerBuilder AddPrometheus(this IRuntimeProfilerBuilder builder, Action<PrometheusEndpointOptions> configure) =>
        Enable(builder, PrometheusSinkSetup.Name, configure);

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
