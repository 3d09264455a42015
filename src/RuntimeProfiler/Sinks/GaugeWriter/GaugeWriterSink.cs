using RuntimeProfiling.Collection;
using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.GaugeWriter;

/// <summary>
/// Hands every figure of each sample to an <see cref="IGaugeWriter"/>, the shape of the original Go
/// profiler's metrics writer. With <see cref="MetricNaming.Original"/>, the figures carry the original
/// names and units (<c>runtime.mem.heap.alloc_bytes</c>, <c>runtime.gc.pause_total_ns</c>, ...) and are all
/// gauges, as the original sent them.
/// </summary>
/// <remarks>Names are built once; a sample costs one call per figure and no allocation of ours.</remarks>
public sealed class GaugeWriterSink : IRuntimeMetricsSink
{
    private readonly IGaugeWriter _writer;
    private readonly ICounterWriter? _counterWriter;
    private readonly Figure[] _figures;

    /// <summary>Initializes a sink over a writer.</summary>
    /// <param name="writer">The writer; if it also implements <see cref="ICounterWriter"/>, counters go there as deltas (canonical naming only).</param>
    /// <param name="naming">The names to use; the default is <see cref="MetricNaming.OpenTelemetry"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="naming"/> is not a defined value.</exception>
    public GaugeWriterSink(IGaugeWriter writer, MetricNaming naming = MetricNaming.OpenTelemetry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _figures = FigureSets.Get(naming);
        _counterWriter = naming == MetricNaming.OpenTelemetry ? writer as ICounterWriter : null;
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (Figure figure in _figures)
        {
            if (_counterWriter is not null && figure.Kind == MetricKind.Counter)
            {
                if (figure.TryGetDelta(snapshot, out double delta))
                {
                    _counterWriter.Counter(figure.FoldedName, delta);
                }
            }
            else if (figure.TryGetValue(snapshot, out double value))
            {
                _writer.Gauge(figure.FoldedName, value);
            }
        }

        return ValueTask.CompletedTask;
    }
}
