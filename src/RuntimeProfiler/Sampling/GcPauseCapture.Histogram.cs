using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <content>The histogram and history: recording a collection, and handing the totals to a snapshot.</content>
internal sealed partial class GcPauseCapture
{
    /// <summary>
    /// Writes the running totals, the minimum and maximum since the previous call, the missed count and the
    /// latest collections into a snapshot; while running, also the collection counts and the pause total of
    /// the last observation, so they count exactly the collections the histogram accounts for.
    /// </summary>
    /// <returns>Whether the collection counts and the pause total were written.</returns>
    public bool WriteTo(RuntimeSnapshot target)
    {
        using (EnterAsReader())
        {
            return WriteToLocked(target);
        }
    }

    /// <summary>Gets the latest collection observed, for the last-collection figures.</summary>
    /// <returns><see langword="false"/> before the first collection observed.</returns>
    public bool TryGetLatest(out GCMemoryInfo info, out DateTimeOffset observedAt)
    {
        using (EnterAsReader())
        {
            info = _latest;
            observedAt = _latestObservedAt;
            return _hasLatest;
        }
    }

    private bool WriteToLocked(RuntimeSnapshot target)
    {
        target.HasHistograms = _everStarted;
        Span<double> values = target.Values;
        values[(int)MetricId.GcPauseMissed] = _everStarted ? _missedReported : double.NaN;
        if (!_everStarted)
        {
            return false;
        }

        if (_running)
        {
            // The counts are inclusive (a gen2 collection also counts for gen1 and gen0); the figures are not.
            values[(int)MetricId.GcCollectionsGen0] = _cut.Count0 - _cut.Count1;
            values[(int)MetricId.GcCollectionsGen1] = _cut.Count1 - _cut.Count2;
            values[(int)MetricId.GcCollectionsGen2] = _cut.Count2;
            values[(int)MetricId.GcPauseTime] = _cut.PauseTotal.TotalSeconds;
        }

        _buckets.AsSpan().CopyTo(target.HistogramBucketTotals);
        _counts.AsSpan().CopyTo(target.HistogramCountTotals);
        Span<double> sums = target.HistogramSumTotals;
        Span<double> minimums = target.HistogramMinWindow;
        Span<double> maximums = target.HistogramMaxWindow;
        for (int h = 0; h < _counts.Length; h++)
        {
            sums[h] = _sumTicks[h] / (double)TimeSpan.TicksPerSecond;
            minimums[h] = _maxTicks[h] < 0 ? double.NaN : _minTicks[h] / (double)TimeSpan.TicksPerSecond;
            maximums[h] = _maxTicks[h] < 0 ? double.NaN : _maxTicks[h] / (double)TimeSpan.TicksPerSecond;
        }

        Array.Fill(_minTicks, long.MaxValue);
        Array.Fill(_maxTicks, -1);
        target.EphemeralHistory.CopyFrom(_ephemeral);
        target.Gen2History.CopyFrom(_gen2);
        target.UnlistedCollectionTotal = _recovered;
        return _running;
    }

    /// <summary>Finds when a collection still in the history was observed, for the delivery-delay benchmark.</summary>
    internal bool TryGetObservedAt(long index, out DateTimeOffset observedAt)
    {
        using (EnterAsReader())
        {
            foreach (GcCollectionHistory history in (ReadOnlySpan<GcCollectionHistory>)[_ephemeral, _gen2])
            {
                for (int i = history.Count - 1; i >= 0; i--)
                {
                    if (history[i].Index == index)
                    {
                        observedAt = history[i].ObservedAt;
                        return true;
                    }
                }
            }

            observedAt = default;
            return false;
        }
    }

    private static int SeriesOf(GcCollectionKind kind, int generation) => kind switch
    {
        GcCollectionKind.Ephemeral => generation == 0 ? 0 : 1,
        GcCollectionKind.FullBlocking => 2,
        _ => 3,
    };

    private static int BucketOf(long ticks)
    {
        for (int i = 0; i < s_boundTicks.Length; i++)
        {
            if (ticks <= s_boundTicks[i])
            {
                return i;
            }
        }

        return s_boundTicks.Length;
    }

    /// <returns>The pause recorded, in ticks.</returns>
    private long Record(in GCMemoryInfo info, GcCollectionKind kind, DateTimeOffset now)
    {
        var collection = new GcCollectionInfo(++_recordSequence, info, kind, now);
        long ticks = collection.PauseDuration.Ticks;
        RecordPause(SeriesOf(kind, info.Generation), ticks);
        (kind == GcCollectionKind.Ephemeral ? _ephemeral : _gen2).Add(collection);
        return ticks;
    }

    /// <summary>Adds one collection's pause to the histogram and counts it as recorded.</summary>
    private void RecordPause(int series, long ticks)
    {
        _buckets[(series * RuntimeSnapshot.BucketSlots) + BucketOf(ticks)]++;
        _counts[series]++;
        _sumTicks[series] += ticks;
        _minTicks[series] = Math.Min(_minTicks[series], ticks);
        _maxTicks[series] = Math.Max(_maxTicks[series], ticks);
        _recorded++;
    }
}
