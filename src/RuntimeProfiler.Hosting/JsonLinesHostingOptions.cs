using RuntimeProfiling.Model;

namespace RuntimeProfiling.Hosting;

/// <summary>Settings of the JSON Lines sink in a host (<c>RuntimeProfiler:Sinks:Json</c>).</summary>
public sealed class JsonLinesHostingOptions
{
    /// <summary>Gets or sets where lines go: <c>stdout</c>, <c>stderr</c>, or the path of a file to append to.</summary>
    /// <value>The default is <c>stdout</c>.</value>
    public string Output { get; set; } = "stdout";

    /// <summary>Gets or sets the names the figures are written under.</summary>
    /// <value>The default is <see cref="MetricNaming.OpenTelemetry"/>.</value>
    public MetricNaming Naming { get; set; } = MetricNaming.OpenTelemetry;
}
