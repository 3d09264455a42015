using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Turns one window of the pause histogram into a few (value, count) observations that a StatsD server can take
/// as timers or distributions: the smallest and largest pause exactly, and one value per bucket for the others,
/// chosen inside the bucket so that the observations add up to the window's exact sum.
/// </summary>
/// <remarks>
/// What is kept exactly: the count, the sum, the minimum, the maximum, and the bucket of every pause; what is
/// approximated: where inside its bucket each other pause lies. The buffers are reused; nothing is allocated per call.
/// </remarks>
internal sealed class PauseSummary
{
    private readonly double[] _values;
    private readonly long[] _counts;
    private readonly int[] _buckets;
    private readonly long[] _remaining;
    private readonly double[] _low;
    private readonly double[] _high;

    public PauseSummary(int bucketSlots)
    {
        _values = new double[bucketSlots + 2];
        _counts = new long[bucketSlots + 2];
        _buckets = new int[bucketSlots + 2];
        _remaining = new long[bucketSlots];
        _low = new double[bucketSlots];
        _high = new double[bucketSlots];
    }

    /// <summary>Gets the number of observations the last <see cref="Summarize"/> produced.</summary>
    public int Count { get; private set; }

    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    public ReadOnlySpan<long> Counts => _counts.AsSpan(0, Count);

    /// <summary>Gets the bucket each observation stands for.</summary>
    public ReadOnlySpan<int> Buckets => _buckets.AsSpan(0, Count);

    /// <summary>Summarizes a window: count, sum, minimum, maximum and per-bucket counts (not cumulative, one more than the bounds).</summary>
    public void Summarize(long count, double sum, double min, double max, ReadOnlySpan<long> buckets, ReadOnlySpan<double> bounds)
    {
        Count = 0;
        long total = 0;
        foreach (long b in buckets)
        {
            total += b;
        }

        if (count <= 0 || total != count || !double.IsFinite(sum))
        {
            // No pauses, or a window whose parts disagree: nothing trustworthy to send.
            return;
        }

        buckets.CopyTo(_remaining);
        bool extremes = double.IsFinite(min) && double.IsFinite(max) && min <= max;
        if (count == 1)
        {
            Add(extremes ? min : sum, 1, FirstNonEmpty());
            return;
        }

        double rest = sum;
        double floor = 0;
        double ceiling = double.PositiveInfinity;
        if (extremes && TakeExtremes(out int first, out int last))
        {
            Add(min, 1, first);
            Add(max, 1, last);
            rest -= min + max;
            floor = min;
            ceiling = max;
        }

        // Each remaining pause lies in [low, high] of its bucket (clamped to the window's extremes); one shared
        // position t inside those ranges makes the representatives add up to the sum that is left.
        double lowTotal = 0;
        double highTotal = 0;
        for (int b = 0; b < _remaining.Length; b++)
        {
            if (_remaining[b] == 0)
            {
                continue;
            }

            double lower = b == 0 ? 0 : bounds[b - 1];
            double upper = b < bounds.Length ? bounds[b] : Math.Max(lower, double.IsFinite(ceiling) ? ceiling : rest);
            _low[b] = Math.Max(lower, floor);
            _high[b] = Math.Max(_low[b], Math.Min(upper, ceiling));
            lowTotal += _remaining[b] * _low[b];
            highTotal += _remaining[b] * _high[b];
        }

        double t = highTotal > lowTotal ? Math.Clamp((rest - lowTotal) / (highTotal - lowTotal), 0, 1) : 0;
        for (int b = 0; b < _remaining.Length; b++)
        {
            if (_remaining[b] > 0)
            {
                Add(_low[b] + (t * (_high[b] - _low[b])), _remaining[b], b);
            }
        }
    }

    private bool TakeExtremes(out int first, out int last)
    {
        first = FirstNonEmpty();
        last = LastNonEmpty();
        if (first < 0 || (first == last && _remaining[first] < 2))
        {
            return false;
        }

        _remaining[first]--;
        _remaining[last]--;
        return true;
    }

    private int FirstNonEmpty()
    {
        for (int b = 0; b < _remaining.Length; b++)
        {
            if (_remaining[b] > 0)
            {
                return b;
            }
        }

        return -1;
    }

    private int LastNonEmpty()
    {
        for (int b = _remaining.Length - 1; b >= 0; b--)
        {
            if (_remaining[b] > 0)
            {
                return b;
            }
        }

        return -1;
    }

    private void Add(double value, long count, int bucket)
    {
        _values[Count] = value;
        _counts[Count] = count;
        _buckets[Count] = bucket;
        Count++;
    }
}
