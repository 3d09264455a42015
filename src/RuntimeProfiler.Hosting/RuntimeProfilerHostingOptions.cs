namespace RuntimeProfiling.Hosting;

/// <summary>
/// Settings of the hosted profiler, bound from the <c>RuntimeProfiler</c> configuration section (the sinks'
/// own settings live under <c>RuntimeProfiler:Sinks:&lt;Name&gt;</c>). Validated when the host starts.
/// </summary>
public sealed class RuntimeProfilerHostingOptions
{
    /// <summary>The name of the configuration section: <c>RuntimeProfiler</c>.</summary>
    public const string SectionName = "RuntimeProfiler";

    /// <summary>Gets or sets the time between samples.</summary>
    /// <value>The default is 10 seconds. Allowed: 10 ms to 1 day, written <c>00:00:10</c> in configuration.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long stopping the host waits for sinks still writing the last sample.</summary>
    /// <value>The default is 5 seconds. Allowed: zero to 10 minutes.</value>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets whether stopping the host sends one last sample to every sink.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool FlushOnStop { get; set; } = true;

    /// <summary>Gets or sets the least time between two log entries about the same failing sink; failures in between are counted and reported with the next entry.</summary>
    /// <value>The default is 1 minute. Allowed: zero to 1 day.</value>
    public TimeSpan SinkErrorLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the problems found while reading configuration, reported together when the options are validated.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
