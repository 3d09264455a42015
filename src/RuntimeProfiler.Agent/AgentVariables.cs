namespace RuntimeProfiling.Agent;

/// <summary>The environment variables that configure the profiler inside an app; documented in <c>docs/run-and-attach.md</c>.</summary>
internal static class AgentVariables
{
    public const string Prefix = "RUNTIMEPROFILER_";

    /// <summary>Time between samples: <c>500ms</c>, <c>10s</c>, <c>1m</c> or <c>hh:mm:ss</c>. Default 10 s.</summary>
    public const string Interval = "RUNTIMEPROFILER_INTERVAL";

    /// <summary><c>otel</c> (default) or <c>original</c> (the Go profiler's names).</summary>
    public const string Names = "RUNTIMEPROFILER_NAMES";

    /// <summary>The console sink's format: <c>table</c> (default) or <c>json</c> (JSON Lines).</summary>
    public const string Format = "RUNTIMEPROFILER_FORMAT";

    /// <summary>Where the table or JSON Lines go: <c>stderr</c> (default), <c>stdout</c>, or a file path (appended; <c>{pid}</c> is replaced).</summary>
    public const string Output = "RUNTIMEPROFILER_OUTPUT";

    /// <summary>Also send every sample to a StatsD server: <c>udp://host:8125</c> or <c>unix:///path/to/dsd.socket</c>.</summary>
    public const string StatsD = "RUNTIMEPROFILER_STATSD";

    /// <summary>The StatsD dialect: <c>etsy</c> (default), <c>dogstatsd</c> or <c>telegraf</c>.</summary>
    public const string StatsDDialect = "RUNTIMEPROFILER_STATSD_DIALECT";

    /// <summary>Serves <c>/metrics</c> (and the live page) from inside the app at <c>HOST:PORT</c>; empty or unset: no endpoint.</summary>
    public const string Prometheus = "RUNTIMEPROFILER_PROMETHEUS";

    /// <summary>Serves the live page (and <c>/metrics</c>) from inside the app at <c>HOST:PORT</c>, and prints its address on stderr.</summary>
    public const string Ui = "RUNTIMEPROFILER_UI";

    /// <summary>Set by <c>runtime-profiler run</c> only: where the hook reports whether the profiler started.</summary>
    public const string StatusFile = "RUNTIMEPROFILER_STATUS_FILE";

    /// <summary>The variables this version understands; any other <c>RUNTIMEPROFILER_*</c> is a configuration error.</summary>
    public static readonly string[] Known = [Interval, Names, Format, Output, StatsD, StatsDDialect, Prometheus, Ui, StatusFile];

    /// <summary>The runtime's list of startup hooks, where the hook's path goes.</summary>
    public const string StartupHooks = "DOTNET_STARTUP_HOOKS";
}
