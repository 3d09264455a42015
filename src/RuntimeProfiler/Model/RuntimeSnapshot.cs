namespace RuntimeProfiling.Model;

/// <summary>
/// One sample of the runtime as a sink sees it: every figure's value and, for counters, the change
/// since the previous sample this sink received.
/// </summary>
/// <remarks>
/// A snapshot is owned by the profiler and reused: read it inside <c>WriteAsync</c> and do not keep a
/// reference after the returned task completes. It is not thread-safe for writing, and never written
/// while a sink is reading it.
/// </remarks>
public sealed class RuntimeSnapshot
{
    private readonly double[] _values;
    private readonly double[] _deltas;

    internal RuntimeSnapshot()
    {
        _values = new double[RuntimeMetricCatalog.Count];
        _deltas = new double[RuntimeMetricCatalog.Count];
        Clear();
    }

    /// <summary>Gets the time at which the sample was read.</summary>
    public DateTimeOffset Timestamp { get; internal set; }

    /// <summary>Gets the time between the previous sample this sink received and this one: the window of every counter's delta.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Gets the number of this sample, counting from 1 for the first one taken by its profiler.</summary>
    public long Sequence { get; internal set; }

    internal long MonotonicTimestamp { get; set; }

    internal Span<double> Values => _values;

    internal Span<double> Deltas => _deltas;

    /// <summary>Gets the value of a series: the latest reading of a gauge, or the running total of a counter.</summary>
    /// <param name="series">A series of <see cref="RuntimeMetricCatalog.Series"/>.</param>
    /// <param name="value">The value, in the series' unit.</param>
    /// <returns><see langword="false"/> when the figure is not available in this sample (for example heap figures before the first GC, or a source this platform lacks).</returns>
    public bool TryGetValue(MetricSeries series, out double value)
    {
        ArgumentNullException.ThrowIfNull(series);
        return TryGetValue(series.Id, out value);
    }

    /// <summary>Gets the change of a counter since the previous sample this sink received.</summary>
    /// <param name="series">A counter series of <see cref="RuntimeMetricCatalog.Series"/>.</param>
    /// <param name="delta">The change, in the series' unit; never negative.</param>
    /// <returns><see langword="false"/> for gauges and for counters not available in this sample.</returns>
    public bool TryGetDelta(MetricSeries series, out double delta)
    {
        ArgumentNullException.ThrowIfNull(series);
        return TryGetDelta(series.Id, out delta);
    }

    internal bool TryGetValue(MetricId id, out double value)
    {
        value = _values[(int)id];
        return !double.IsNaN(value);
    }

    internal bool TryGetDelta(MetricId id, out double delta)
    {
        delta = _deltas[(int)id];
        return !double.IsNaN(delta);
    }

    internal void Clear()
    {
        Array.Fill(_values, double.NaN);
        Array.Fill(_deltas, double.NaN);
    }

    internal void CopyFrom(RuntimeSnapshot other)
    {
        other._values.AsSpan().CopyTo(_values);
        other._deltas.AsSpan().CopyTo(_deltas);
        Timestamp = other.Timestamp;
        Elapsed = other.Elapsed;
        Sequence = other.Sequence;
        MonotonicTimestamp = other.MonotonicTimestamp;
    }
}
