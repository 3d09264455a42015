namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>The text formats a Prometheus scrape can be answered in.</summary>
public enum PrometheusFormat
{
    /// <summary>
    /// The Prometheus text exposition format 0.0.4 (<c>text/plain; version=0.0.4; charset=utf-8</c>): what
    /// browsers, <c>curl</c> and <c>promtool</c> read, and what every Prometheus-compatible scraper accepts.
    /// </summary>
    Text,

    /// <summary>
    /// OpenMetrics 1.0 (<c>application/openmetrics-text; version=1.0.0; charset=utf-8</c>): what the
    /// Prometheus server asks for first. Counter families are named without <c>_total</c>, units are
    /// declared on <c># UNIT</c> lines, and the exposition ends with <c># EOF</c>.
    /// </summary>
    OpenMetrics,
}
