using System.Diagnostics.CodeAnalysis;
using System.Net;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus.Page;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Agent;

/// <summary>
/// The profiler's settings inside an app, read from <c>RUNTIMEPROFILER_*</c> environment variables (see
/// <see cref="AgentVariables"/>). Parsing checks everything up front, so a bad setting is one message and
/// an unprofiled app rather than a half-started profiler.
/// </summary>
internal sealed class AgentSettings
{
    /// <summary>The interval when none is set: the library's default.</summary>
    public static readonly TimeSpan DefaultInterval = new RuntimeProfilerOptions().Interval;

    public const string StandardOutput = "stdout";

    public const string StandardError = "stderr";

    public TimeSpan Interval { get; private init; } = DefaultInterval;

    public MetricNaming Naming { get; private init; } = MetricNaming.OpenTelemetry;

    /// <summary>Gets the console sink's format, or <see langword="null"/> when no console sink is configured.</summary>
    public AgentFormat? Format { get; private init; }

    /// <summary>Gets where the console sink writes: <see cref="StandardError"/>, <see cref="StandardOutput"/> or a file path (with <c>{pid}</c> not yet replaced).</summary>
    public string Output { get; private init; } = StandardError;

    /// <summary>Gets the StatsD server every sample also goes to, or <see langword="null"/>.</summary>
    public Uri? StatsD { get; private init; }

    public StatsDDialect StatsDDialect { get; private init; } = StatsDDialect.Etsy;

    /// <summary>Gets where the app serves <c>/metrics</c> and the live page, or <see langword="null"/> for no endpoint.</summary>
    public IPEndPoint? Endpoint { get; private init; }

    /// <summary>Gets whether the live page's address is printed on stderr once the endpoint listens (<c>RUNTIMEPROFILER_UI</c>).</summary>
    public bool AnnouncePage { get; private init; }

    /// <summary>The interval of the live page: the profiler's, within what a page allows (100 ms to 1 hour).</summary>
    /// <param name="interval">The profiler's interval.</param>
    public static TimeSpan PageInterval(TimeSpan interval) =>
        interval < LivePageOptions.MinimumInterval ? LivePageOptions.MinimumInterval : interval > LivePageOptions.MaximumInterval ? LivePageOptions.MaximumInterval : interval;

    /// <summary>Reads the settings from environment variables.</summary>
    /// <param name="variables">The process's environment (or the one a child will get).</param>
    /// <param name="settings">The settings, when they are valid.</param>
    /// <param name="error">Otherwise what is wrong, naming the variable, in words for a one-line message.</param>
    public static bool TryParse(IReadOnlyDictionary<string, string> variables, [NotNullWhen(true)] out AgentSettings? settings, out string error)
    {
        settings = null;
        foreach (string name in variables.Keys)
        {
            if (name.StartsWith(AgentVariables.Prefix, StringComparison.Ordinal) && Array.IndexOf(AgentVariables.Known, name) < 0)
            {
                error = $"{name} is not a setting of this version (known: {string.Join(", ", AgentVariables.Known)})";
                return false;
            }
        }

        TimeSpan interval = DefaultInterval;
        if (Get(variables, AgentVariables.Interval) is { } intervalText)
        {
            if (!DurationParser.TryParse(intervalText, out interval, out string durationError))
            {
                error = $"{AgentVariables.Interval}: {durationError}";
                return false;
            }

            if (interval < RuntimeProfiler.MinimumInterval || interval > RuntimeProfiler.MaximumInterval)
            {
                error = $"{AgentVariables.Interval}: '{intervalText}' is out of range (10ms to 1d)";
                return false;
            }
        }

        MetricNaming naming = MetricNaming.OpenTelemetry;
        switch (Get(variables, AgentVariables.Names))
        {
            case null or "otel":
                break;
            case "original":
                naming = MetricNaming.Original;
                break;
            case { } other:
                error = $"{AgentVariables.Names}: '{other}' is not a naming (use otel or original)";
                return false;
        }

        AgentFormat? format = null;
        switch (Get(variables, AgentVariables.Format))
        {
            case null:
                break;
            case "table":
                format = AgentFormat.Table;
                break;
            case "json":
                format = AgentFormat.Json;
                break;
            case { } other:
                error = $"{AgentVariables.Format}: '{other}' is not a format (use table or json)";
                return false;
        }

        string? output = Get(variables, AgentVariables.Output);
        if (output is not null)
        {
            format ??= AgentFormat.Table;
            if (output is not (StandardOutput or StandardError) && output.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                error = $"{AgentVariables.Output}: '{output}' is not a file path (use stdout, stderr or a path)";
                return false;
            }
        }

        if (!TryParseStatsD(variables, out Uri? statsd, out StatsDDialect dialect, out error))
        {
            return false;
        }

        if (!TryReadEndpoint(variables, out IPEndPoint? endpoint, out bool announce, out error))
        {
            return false;
        }

        if (format is null && statsd is null && endpoint is null)
        {
            error = $"nothing to write samples to: set {AgentVariables.Output} (stderr, stdout or a file), {AgentVariables.Format} (table or json), {AgentVariables.StatsD} (udp://host:8125), {AgentVariables.Prometheus} or {AgentVariables.Ui} (HOST:PORT)";
            return false;
        }

        settings = new AgentSettings { Interval = interval, Naming = naming, Format = format, Output = output ?? StandardError, StatsD = statsd, StatsDDialect = dialect, Endpoint = endpoint, AnnouncePage = announce };
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Reads the StatsD URL and dialect. The URL is checked here for its form only (the sink checks the rest when it
    /// is built, off the app's startup path); the CLI checks it in full before it starts an app.
    /// </summary>
    private static bool TryParseStatsD(IReadOnlyDictionary<string, string> variables, out Uri? url, out StatsDDialect dialect, out string error)
    {
        url = null;
        dialect = StatsDDialect.Etsy;
        error = string.Empty;
        string? text = Get(variables, AgentVariables.StatsD);
        if (text is not null && (!Uri.TryCreate(text, UriKind.Absolute, out url) || url.Scheme is not ("udp" or "unix" or "unixgram")))
        {
            error = $"{AgentVariables.StatsD}: '{text}' is not a StatsD URL (use udp://host:8125 or unix:///path/to/socket)";
            return false;
        }

        switch (Get(variables, AgentVariables.StatsDDialect))
        {
            case null or "etsy":
                break;
            case "dogstatsd":
                dialect = StatsDDialect.DogStatsD;
                break;
            case "telegraf":
                dialect = StatsDDialect.Telegraf;
                break;
            case { } other:
                error = $"{AgentVariables.StatsDDialect}: '{other}' is not a dialect (use etsy, dogstatsd or telegraf)";
                return false;
        }

        if (text is null && Get(variables, AgentVariables.StatsDDialect) is not null)
        {
            error = $"{AgentVariables.StatsDDialect} needs {AgentVariables.StatsD}";
            return false;
        }

        return true;
    }

    /// <summary>Reads the endpoint's address from <c>RUNTIMEPROFILER_PROMETHEUS</c> and <c>RUNTIMEPROFILER_UI</c>: one endpoint serves both.</summary>
    private static bool TryReadEndpoint(IReadOnlyDictionary<string, string> variables, out IPEndPoint? endpoint, out bool announce, out string error)
    {
        endpoint = null;
        announce = false;
        error = string.Empty;
        IPEndPoint? prometheus = null;
        if (Get(variables, AgentVariables.Prometheus) is { } prometheusText && !EndpointAddressParser.TryParse(prometheusText, out prometheus, out string prometheusError))
        {
            error = $"{AgentVariables.Prometheus}: {prometheusError}";
            return false;
        }

        IPEndPoint? ui = null;
        if (Get(variables, AgentVariables.Ui) is { } uiText && !EndpointAddressParser.TryParse(uiText, out ui, out string uiError))
        {
            error = $"{AgentVariables.Ui}: {uiError}";
            return false;
        }

        if (prometheus is not null && ui is not null && !prometheus.Equals(ui))
        {
            error = $"{AgentVariables.Prometheus} ({prometheus}) and {AgentVariables.Ui} ({ui}) differ: one endpoint serves both /metrics and the page";
            return false;
        }

        endpoint = ui ?? prometheus;
        announce = ui is not null;
        return true;
    }

    /// <summary>Gets a variable's trimmed value; an empty one counts as not set.</summary>
    private static string? Get(IReadOnlyDictionary<string, string> variables, string name) =>
        variables.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
