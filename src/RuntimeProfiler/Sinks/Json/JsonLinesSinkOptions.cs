using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Json;

/// <summary>Settings of a <see cref="JsonLinesSink"/>.</summary>
public sealed class JsonLinesSinkOptions
{
    /// <summary>Gets or sets the names the figures are written under.</summary>
    /// <value>The default is <see cref="MetricNaming.OpenTelemetry"/>.</value>
    public MetricNaming Naming { get; set; } = MetricNaming.OpenTelemetry;
}
