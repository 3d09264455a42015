using Microsoft.Extensions.DependencyInjection;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.StatsD;

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

    /// <summary>
    /// Sends every sample to a StatsD server (Etsy's daemon, a Datadog agent, Telegraf, statsd_exporter, ...), to
    /// <c>udp://127.0.0.1:8125</c> in plain StatsD unless configuration (<c>RuntimeProfiler:Sinks:StatsD</c>) says otherwise.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>See <see cref="AddStatsD(IRuntimeProfilerBuilder, Action{StatsDSinkOptions})"/>.</remarks>
    public static IRuntimeProfilerBuilder AddStatsD(this IRuntimeProfilerBuilder builder) => builder.AddStatsD(_ => { });

    /// <summary>
    /// Sends every sample to a StatsD server over UDP or a Unix datagram socket, with settings (URL or host and port or
    /// socket path, dialect, naming, prefix, global tags, datagram size, endpoint refresh) applied after configuration's.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the sink's options; it runs after configuration (and the <c>DD_*</c> variables, when configuration opts in to them).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// Settings that are out of range or do not parse stop the host from starting, with a message naming the key.
    /// The sink resolves a host name and opens its socket on the first sample, not at start: a server that is not up
    /// yet costs dropped lines, counted in <c>runtime_profiler.statsd.dropped</c>, and sending resumes by itself when
    /// it is. Stopping the host sends the last sample and then closes the socket. <c>"ReadDatadogEnvironment": true</c>
    /// in configuration, or <see cref="StatsDSinkOptions.ReadDatadogEnvironment()"/> in <paramref name="configure"/>,
    /// takes <c>DD_DOGSTATSD_URL</c>, <c>DD_AGENT_HOST</c>, <c>DD_DOGSTATSD_PORT</c>, <c>DD_ENV</c>, <c>DD_SERVICE</c>
    /// and <c>DD_VERSION</c>; see <c>docs/hosting-and-opentelemetry.md</c> for the precedence.
    /// </remarks>
    public static IRuntimeProfilerBuilder AddStatsD(this IRuntimeProfilerBuilder builder, Action<StatsDSinkOptions> configure) =>
        Enable(builder, StatsDSinkSetup.Name, configure);

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
