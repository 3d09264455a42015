using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>The expositions the formatter's golden files hold and promtool checks: the same list for both.</summary>
internal static class PrometheusRenderings
{
    /// <summary>Gets both namings in both formats, and the OpenTelemetry names again with histograms.</summary>
    public static TheoryData<MetricNaming, PrometheusFormat, bool> All => new()
    {
        { MetricNaming.OpenTelemetry, PrometheusFormat.Text, false },
        { MetricNaming.OpenTelemetry, PrometheusFormat.Text, true },
        { MetricNaming.OpenTelemetry, PrometheusFormat.OpenMetrics, false },
        { MetricNaming.OpenTelemetry, PrometheusFormat.OpenMetrics, true },
        { MetricNaming.Original, PrometheusFormat.Text, false },
        { MetricNaming.Original, PrometheusFormat.OpenMetrics, false },
    };
}
