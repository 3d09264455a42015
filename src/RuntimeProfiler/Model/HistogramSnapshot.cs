namespace RuntimeProfiling.Model;

/// <summary>
/// A histogram series of a <see cref="RuntimeSnapshot"/>: the observations of the sample's window (since
/// the previous sample the sink received) and the running totals since capture started.
/// </summary>
/// <remarks>Valid only as long as its snapshot; do not keep a reference after <c>WriteAsync</c> completes.</remarks>
public sealed class HistogramSnapshot
{
    private readonly RuntimeSnapshot _owner;
    private readonly int _index;

    internal HistogramSnapshot(RuntimeSnapshot owner, int index)
    {
        _owner = owner;
        _index = index;
    }

    /// <summary>Gets the number of observations in the window.</summary>
    public long Count => _owner.HistogramCountWindow[_index];

    /// <summary>Gets the sum of the observations in the window, in the series' unit.</summary>
    public double Sum => _owner.HistogramSumWindow[_index];

    /// <summary>Gets the smallest observation in the window; <see cref="double.NaN"/> when <see cref="Count"/> is 0.</summary>
    public double Min => _owner.HistogramMinWindow[_index];

    /// <summary>Gets the largest observation in the window; <see cref="double.NaN"/> when <see cref="Count"/> is 0.</summary>
    public double Max => _owner.HistogramMaxWindow[_index];

    /// <summary>Gets the number of observations since capture started.</summary>
    public long TotalCount => _owner.HistogramCountTotals[_index];

    /// <summary>Gets the sum of the observations since capture started.</summary>
    public double TotalSum => _owner.HistogramSumTotals[_index];

    /// <summary>Gets the upper bounds of the buckets, ascending; an implicit last bucket holds everything above the last bound.</summary>
#pragma warning disable CA1822 // Bounds belong to the histogram: one set serves every histogram today, which callers should not rely on.
    public ReadOnlySpan<double> BucketBounds => RuntimeMetricCatalog.GcPauseBounds;
#pragma warning restore CA1822

    /// <summary>Gets the observations of the window per bucket (not cumulative), one more than <see cref="BucketBounds"/>.</summary>
    public ReadOnlySpan<long> BucketCounts => _owner.HistogramBucketsWindow.Slice(_index * RuntimeSnapshot.BucketSlots, RuntimeSnapshot.BucketSlots);

    /// <summary>Gets the observations since capture started per bucket (not cumulative), one more than <see cref="BucketBounds"/>.</summary>
    public ReadOnlySpan<long> TotalBucketCounts => _owner.HistogramBucketTotals.Slice(_index * RuntimeSnapshot.BucketSlots, RuntimeSnapshot.BucketSlots);
}
