using RuntimeProfiling.Sinks.Meter;

#pragma warning disable IDE0130 // Lives beside the builder extension that creates it.
namespace OpenTelemetry.Metrics;
#pragma warning restore IDE0130

/// <summary>
/// What the meter provider holds for the instrumentation: the container's meter sink, which the container
/// owns and disposes, so disposing the provider leaves it alone.
/// </summary>
internal sealed class RuntimeProfilerInstrumentation(MeterSink sink)
{
    public MeterSink Sink { get; } = sink;
}
