using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Console;

/// <summary>Settings of a <see cref="ConsoleSink"/>.</summary>
public sealed class ConsoleSinkOptions
{
    /// <summary>Gets or sets the names the figures are shown under.</summary>
    /// <value>The default is <see cref="MetricNaming.OpenTelemetry"/>.</value>
    public MetricNaming Naming { get; set; } = MetricNaming.OpenTelemetry;
}
