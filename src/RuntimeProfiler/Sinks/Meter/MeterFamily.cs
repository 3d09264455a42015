using System.Collections;
using System.Diagnostics.Metrics;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Meter;

/// <summary>
/// One instrument of the meter: a catalog name with all its series (one per attribute set). The callback
/// returns this object itself as a reusable enumeration of measurements, so observing allocates nothing
/// of ours; a second observation running at the same time gets an array of its own instead.
/// </summary>
internal sealed class MeterFamily : IEnumerable<Measurement<double>>, IEnumerator<Measurement<double>>
{
    private readonly MeterSink _sink;
    private readonly MetricSeries[] _series;
    private readonly int[] _indices;
    private readonly KeyValuePair<string, object?>[][] _tags;
    private readonly double[] _values;
    private int _busy;
    private int _position;
    private int _count;

    public MeterFamily(MeterSink sink, MetricSeries[] series)
    {
        _sink = sink;
        _series = series;
        _indices = [.. series.Select(s => s.Index)];
        _tags = [.. series.Select(s => s.Attributes.Select(a => new KeyValuePair<string, object?>(a.Key, a.Value)).ToArray())];
        _values = new double[series.Length];
    }

    public Measurement<double> Current { get; private set; }

    object IEnumerator.Current => Current;

    public void Create(System.Diagnostics.Metrics.Meter meter)
    {
        MetricSeries first = _series[0];
        if (first.Kind == MetricKind.Counter)
        {
            meter.CreateObservableCounter(first.Name, Observe, first.Unit, first.Description);
        }
        else
        {
            meter.CreateObservableGauge(first.Name, Observe, first.Unit, first.Description);
        }
    }

    public IEnumerator<Measurement<double>> GetEnumerator()
    {
        _position = -1;
        return this;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool MoveNext()
    {
        while (++_position < _count)
        {
            double value = _values[_position];
            if (double.IsFinite(value))
            {
                Current = _tags[_position].Length == 0 ? new Measurement<double>(value) : new Measurement<double>(value, _tags[_position]);
                return true;
            }
        }

        return false;
    }

    public void Reset() => _position = -1;

    public void Dispose() => Volatile.Write(ref _busy, 0);

    private IEnumerable<Measurement<double>> Observe()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return ObserveConcurrently();
        }

        _count = _sink.TryReadLatest(_indices, _values) ? _values.Length : 0;
        return this;
    }

    private Measurement<double>[] ObserveConcurrently()
    {
        double[] values = new double[_indices.Length];
        if (!_sink.TryReadLatest(_indices, values))
        {
            return [];
        }

        return [.. values.Select((v, i) => (v, i)).Where(p => double.IsFinite(p.v)).Select(p => new Measurement<double>(p.v, _tags[p.i]))];
    }
}
