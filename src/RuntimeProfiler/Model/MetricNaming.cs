namespace RuntimeProfiling.Model;

/// <summary>Which names a sink gives the figures.</summary>
public enum MetricNaming
{
    /// <summary>
    /// The catalog's canonical names, units and attributes, following the OpenTelemetry conventions for .NET
    /// (<c>dotnet.gc.collections</c> with <c>gc.heap.generation=gen0</c>). Every figure is sent.
    /// </summary>
    OpenTelemetry,

    /// <summary>
    /// The names and units of the original Go runtime profiler (<c>runtime.mem.heap.alloc_bytes</c>,
    /// <c>runtime.gc.pause_total_ns</c>, ...), every figure a gauge, for dashboards built on it. Only the
    /// figures with an honest .NET equivalent are sent; see <c>docs/metrics.md</c> for the rest.
    /// </summary>
    Original,
}
