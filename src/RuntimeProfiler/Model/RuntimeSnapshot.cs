using System.Diagnostics.CodeAnalysis;

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
    /// <summary>The most ephemeral collections a sample lists; older ones of its window are counted in <see cref="CollectionsOmitted"/>.</summary>
    internal const int EphemeralCollectionCapacity = 48;

    /// <summary>The most generation 2 collections a sample lists, kept apart so frequent ephemeral ones never crowd them out.</summary>
    internal const int Gen2CollectionCapacity = 16;

    internal static int BucketSlots { get; } = RuntimeMetricCatalog.GcPauseBounds.Length + 1;

    private readonly double[] _values;
    private readonly double[] _deltas;
    private readonly HistogramSnapshot[] _histograms;
    private readonly long[] _bucketTotals;
    private readonly long[] _countTotals;
    private readonly double[] _sumTotals;
    private readonly long[] _bucketWindow;
    private readonly long[] _countWindow;
    private readonly double[] _sumWindow;
    private readonly double[] _minWindow;
    private readonly double[] _maxWindow;
    private readonly GcCollectionHistory _ephemeralHistory = new(EphemeralCollectionCapacity);
    private readonly GcCollectionHistory _gen2History = new(Gen2CollectionCapacity);
    private readonly GcCollectionInfo[] _collections = new GcCollectionInfo[EphemeralCollectionCapacity + Gen2CollectionCapacity];
    private int _collectionCount;

    internal RuntimeSnapshot()
    {
        int histograms = RuntimeMetricCatalog.HistogramCount;
        _values = new double[RuntimeMetricCatalog.Count];
        _deltas = new double[RuntimeMetricCatalog.Count];
        _histograms = new HistogramSnapshot[histograms];
        for (int i = 0; i < histograms; i++)
        {
            _histograms[i] = new HistogramSnapshot(this, i);
        }

        _bucketTotals = new long[histograms * BucketSlots];
        _countTotals = new long[histograms];
        _sumTotals = new double[histograms];
        _bucketWindow = new long[histograms * BucketSlots];
        _countWindow = new long[histograms];
        _sumWindow = new double[histograms];
        _minWindow = new double[histograms];
        _maxWindow = new double[histograms];
        Clear();
    }

    /// <summary>Gets the time at which the sample was read.</summary>
    public DateTimeOffset Timestamp { get; internal set; }

    /// <summary>Gets the time between the previous sample this sink received and this one: the window of every counter's delta.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Gets the number of this sample, counting from 1 for the first one taken by its profiler.</summary>
    public long Sequence { get; internal set; }

    /// <summary>
    /// Gets the garbage collections of this sample's window (since the previous sample this sink received), in
    /// the order the profiler observed them, each with its pauses, promoted bytes, heap size, fragmentation and
    /// whether it compacted. At most the latest 48 ephemeral and 16 generation 2 collections of the window are
    /// listed; the rest, and any collection recovered from the runtime's totals without its detail, are counted in
    /// <see cref="CollectionsOmitted"/>. Every one of them is in the pause histogram.
    /// </summary>
    /// <value>Empty when no collection was observed in the window, or when no pause capture feeds the profiler.</value>
    public ReadOnlySpan<GcCollectionInfo> Collections => _collections.AsSpan(0, _collectionCount);

    /// <summary>Gets the number of collections of this sample's window in the pause histogram but not listed in <see cref="Collections"/>.</summary>
    public long CollectionsOmitted { get; internal set; }

    internal long MonotonicTimestamp { get; set; }

    /// <summary>Gets the latest ephemeral collections observed, written by the sampler; lanes pick each sink's window from it.</summary>
    internal GcCollectionHistory EphemeralHistory => _ephemeralHistory;

    /// <summary>Gets the latest generation 2 collections observed, written by the sampler.</summary>
    internal GcCollectionHistory Gen2History => _gen2History;

    /// <summary>Gets the number of collections in the histogram that no history lists (recovered without detail), since the capture began; written by the sampler.</summary>
    internal long UnlistedCollectionTotal { get; set; }

    /// <summary>Gets the storage of <see cref="Collections"/>, for the lane that fills it.</summary>
    internal Span<GcCollectionInfo> CollectionStorage => _collections;

    internal int CollectionCount
    {
        get => _collectionCount;
        set => _collectionCount = value;
    }

    internal Span<double> Values => _values;

    internal Span<double> Deltas => _deltas;

    /// <summary>Gets or sets whether the histogram series carry data: false when no pause capture feeds the sampler.</summary>
    internal bool HasHistograms { get; set; }

    /// <summary>Gets the running bucket counts since capture started, <see cref="BucketSlots"/> per histogram series. Written by the sampler.</summary>
    internal Span<long> HistogramBucketTotals => _bucketTotals;

    internal Span<long> HistogramCountTotals => _countTotals;

    internal Span<double> HistogramSumTotals => _sumTotals;

    /// <summary>Gets the bucket counts of the window. The sampler leaves them to each sink's lane, which computes them against what that sink last received.</summary>
    internal Span<long> HistogramBucketsWindow => _bucketWindow;

    internal Span<long> HistogramCountWindow => _countWindow;

    internal Span<double> HistogramSumWindow => _sumWindow;

    /// <summary>Gets the smallest observation of the window. The sampler writes the minimum since its previous read; lanes merge them over skipped samples.</summary>
    internal Span<double> HistogramMinWindow => _minWindow;

    internal Span<double> HistogramMaxWindow => _maxWindow;

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

    /// <summary>Gets a histogram series: the observations of this sample's window and the running totals.</summary>
    /// <param name="series">A series of kind <see cref="MetricKind.Histogram"/>.</param>
    /// <param name="histogram">The histogram, valid as long as this snapshot.</param>
    /// <returns><see langword="false"/> for other kinds, and when no histogram data is captured.</returns>
    public bool TryGetHistogram(MetricSeries series, [NotNullWhen(true)] out HistogramSnapshot? histogram)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (!HasHistograms || series.HistogramIndex < 0)
        {
            histogram = null;
            return false;
        }

        histogram = _histograms[series.HistogramIndex];
        return true;
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
        Array.Fill(_minWindow, double.NaN);
        Array.Fill(_maxWindow, double.NaN);
        HasHistograms = false;
        _collectionCount = 0;
        CollectionsOmitted = 0;
    }

    internal void CopyFrom(RuntimeSnapshot other)
    {
        other._values.AsSpan().CopyTo(_values);
        other._deltas.AsSpan().CopyTo(_deltas);
        Timestamp = other.Timestamp;
        Elapsed = other.Elapsed;
        Sequence = other.Sequence;
        MonotonicTimestamp = other.MonotonicTimestamp;
        HasHistograms = other.HasHistograms;
        other._bucketTotals.AsSpan().CopyTo(_bucketTotals);
        other._countTotals.AsSpan().CopyTo(_countTotals);
        other._sumTotals.AsSpan().CopyTo(_sumTotals);
        other._bucketWindow.AsSpan().CopyTo(_bucketWindow);
        other._countWindow.AsSpan().CopyTo(_countWindow);
        other._sumWindow.AsSpan().CopyTo(_sumWindow);
        other._minWindow.AsSpan().CopyTo(_minWindow);
        other._maxWindow.AsSpan().CopyTo(_maxWindow);
        _ephemeralHistory.CopyFrom(other._ephemeralHistory);
        _gen2History.CopyFrom(other._gen2History);
        UnlistedCollectionTotal = other.UnlistedCollectionTotal;
        other.Collections.CopyTo(_collections);
        _collectionCount = other._collectionCount;
        CollectionsOmitted = other.CollectionsOmitted;
    }
}
