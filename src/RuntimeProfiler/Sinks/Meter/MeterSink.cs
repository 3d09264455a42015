using System.Diagnostics.Metrics;
using System.Reflection;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Sinks.Meter;

/// <summary>
/// Publishes the catalog as instruments of a <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <c>RuntimeProfiler</c>, so any <see cref="MeterListener"/>, the OpenTelemetry SDK and <c>dotnet-counters</c>
/// see it: observable gauges and counters with the catalog's names, units, descriptions and attributes,
/// observed from the latest sample the profiler handed to this sink.
/// </summary>
/// <remarks>
/// <para>
/// Counters report their running totals, as observable counters do. Figures without a value in the latest
/// sample are not observed. The sink can be fed by a profiler (add it to the profiler's sinks), and it also
/// samples on its own when a listener observes and its latest sample is older than
/// <see cref="MeterSinkOptions.MaximumSampleAge"/>, so it works without an interval loop too.
/// </para>
/// <para>
/// An observation allocates nothing of the sink's; the runtime copies the tags of each tagged measurement
/// into an array of its own. Thread-safe: samples arrive on the profiler's sink thread while listeners
/// observe from theirs.
/// </para>
/// </remarks>
public sealed class MeterSink : IRuntimeMetricsSink, INonBlockingSink, IDisposable
{
    /// <summary>The name of the meter: <c>RuntimeProfiler</c>.</summary>
    public const string MeterName = "RuntimeProfiler";

    private readonly System.Diagnostics.Metrics.Meter _meter;
    private readonly bool _ownsMeter;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _maximumSampleAge;
    private readonly Lock _lock = new();
    private readonly double[] _latest = new double[RuntimeMetricCatalog.Count];
    private readonly MeterFamily[] _families;
    private RuntimeSampler? _sampler;
    private RuntimeSnapshot? _current;
    private RuntimeSnapshot? _previous;
    private long _latestAt;
    private bool _hasSample;
    private bool _disposed;

    /// <summary>Initializes a sink that creates and owns its meter.</summary>
    public MeterSink()
        : this(new MeterSinkOptions())
    {
    }

    /// <summary>Initializes a sink.</summary>
    /// <param name="options">Settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MeterSinkOptions.MaximumSampleAge"/> is negative (other than infinite).</exception>
    public MeterSink(MeterSinkOptions options)
        : this(options, TimeProvider.System)
    {
    }

    internal MeterSink(MeterSinkOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaximumSampleAge < TimeSpan.Zero && options.MaximumSampleAge != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaximumSampleAge, "MaximumSampleAge must be zero or more, or infinite.");
        }

        _timeProvider = timeProvider;
        _maximumSampleAge = options.MaximumSampleAge;
        string? version = typeof(MeterSink).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var meterOptions = new MeterOptions(MeterName) { Version = version };
        _ownsMeter = options.MeterFactory is null;
        _meter = options.MeterFactory?.Create(meterOptions) ?? new System.Diagnostics.Metrics.Meter(meterOptions);
        Array.Fill(_latest, double.NaN);
        _families = [.. RuntimeMetricCatalog.Series
            .Where(s => s.Kind != MetricKind.Histogram)
            .GroupBy(s => s.Name)
            .Select(family => new MeterFamily(this, [.. family]))];
        foreach (MeterFamily family in _families)
        {
            family.Create(_meter);
        }
    }

    /// <summary>Gets the meter the instruments belong to.</summary>
    public System.Diagnostics.Metrics.Meter Meter => _meter;

    /// <inheritdoc />
    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            snapshot.Values.CopyTo(_latest);
            _latestAt = _timeProvider.GetTimestamp();
            _hasSample = true;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Disposes the meter if the sink created it; a meter from an <see cref="IMeterFactory"/> is the factory's to dispose.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _sampler?.Dispose();
            _sampler = null;
        }

        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>Copies the latest values of some series into <paramref name="values"/>; false before the first sample.</summary>
    internal bool TryReadLatest(ReadOnlySpan<int> indices, Span<double> values)
    {
        lock (_lock)
        {
            RefreshIfStale();
            if (!_hasSample)
            {
                return false;
            }

            for (int i = 0; i < indices.Length; i++)
            {
                values[i] = _latest[indices[i]];
            }

            return true;
        }
    }

    private void RefreshIfStale()
    {
        if (_disposed || _maximumSampleAge == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        long now = _timeProvider.GetTimestamp();
        if (_hasSample && _timeProvider.GetElapsedTime(_latestAt, now) <= _maximumSampleAge)
        {
            return;
        }

        if (_sampler is null)
        {
            _sampler = new RuntimeSampler(_timeProvider);
            _sampler.Start();
            _current = new RuntimeSnapshot();
            _previous = new RuntimeSnapshot();
        }

        _sampler.Read(_current!, _previous);
        _current!.Values.CopyTo(_latest);
        (_current, _previous) = (_previous, _current);
        _latestAt = now;
        _hasSample = true;
    }
}
