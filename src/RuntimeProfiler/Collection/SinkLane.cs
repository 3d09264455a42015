using RuntimeProfiling.Model;

namespace RuntimeProfiling.Collection;

/// <summary>
/// Delivers samples to one sink on a thread of its own, with its own copy of the snapshot, so a sink that
/// throws, blocks or runs slow never holds up the sampler or the other sinks (a built-in
/// <see cref="INonBlockingSink"/> is called on the offering thread instead). A sink still busy when a
/// sample is offered skips it; counter deltas are taken against what this sink last received, so the
/// next sample it gets covers the skipped interval.
/// </summary>
internal sealed partial class SinkLane
{
    private static readonly int[] s_counters = [.. RuntimeMetricCatalog.Series.Where(s => s.Kind == MetricKind.Counter).Select(s => s.Index)];

#pragma warning disable IDE1006 // Thread statics take the t_ prefix (STYLE.md); .editorconfig naming rules cannot single them out.
    [ThreadStatic]
    private static SinkLane? t_running;
#pragma warning restore IDE1006

    private readonly RuntimeSnapshot _snapshot = new();
    private readonly double[] _lastDelivered = new double[RuntimeMetricCatalog.Count];
    private readonly long[] _lastBucketTotals = new long[RuntimeMetricCatalog.HistogramCount * RuntimeSnapshot.BucketSlots];
    private readonly long[] _lastCountTotals = new long[RuntimeMetricCatalog.HistogramCount];
    private readonly double[] _lastSumTotals = new double[RuntimeMetricCatalog.HistogramCount];
    private readonly double[] _pendingMin = new double[RuntimeMetricCatalog.HistogramCount];
    private readonly double[] _pendingMax = new double[RuntimeMetricCatalog.HistogramCount];
    private readonly Action<SinkLane, Exception, CancellationToken> _onError;
    private readonly Lock _lock = new();
    private long _lastEphemeralTotal;
    private long _lastGen2Total;
    private long _lastUnlistedTotal;
    private DateTimeOffset _lastDeliveredAt;
    private bool _primed;
    private int _busy;
    private TaskCompletionSource? _idle;
    private CancellationToken _cancellationToken;

    public SinkLane(IRuntimeMetricsSink sink, Action<SinkLane, Exception, CancellationToken> onError)
    {
        Sink = sink;
        IsInline = sink is INonBlockingSink;
        _onError = onError;
        Array.Fill(_lastDelivered, double.NaN);
        Array.Fill(_pendingMin, double.NaN);
        Array.Fill(_pendingMax, double.NaN);
    }

    public IRuntimeMetricsSink Sink { get; }

    /// <summary>Gets whether samples are written on the thread that offers them rather than on a delivery thread.</summary>
    public bool IsInline { get; }

    /// <summary>Gets whether the calling thread is running this lane's sink.</summary>
    public bool IsCurrentThread => ReferenceEquals(t_running, this);

    /// <summary>Sets the starting point of the first deltas, unless this sink already received samples.</summary>
    public void Prime(RuntimeSnapshot baseline)
    {
        if (_primed)
        {
            return;
        }

        _primed = true;
        baseline.Values.CopyTo(_lastDelivered);
        baseline.HistogramBucketTotals.CopyTo(_lastBucketTotals);
        baseline.HistogramCountTotals.CopyTo(_lastCountTotals);
        baseline.HistogramSumTotals.CopyTo(_lastSumTotals);
        _lastEphemeralTotal = baseline.EphemeralHistory.Total;
        _lastGen2Total = baseline.Gen2History.Total;
        _lastUnlistedTotal = baseline.UnlistedCollectionTotal;
        _lastDeliveredAt = baseline.Timestamp;
    }

    /// <summary>
    /// Folds a sample's smallest and largest observations into what this sink will receive next. Called for
    /// every sample, delivered or skipped, so a sink that skipped still gets the extremes of its whole window.
    /// </summary>
    public void Accumulate(RuntimeSnapshot sample)
    {
        ReadOnlySpan<double> min = sample.HistogramMinWindow;
        ReadOnlySpan<double> max = sample.HistogramMaxWindow;
        for (int h = 0; h < _pendingMin.Length; h++)
        {
            if (!double.IsNaN(min[h]) && !(min[h] >= _pendingMin[h]))
            {
                _pendingMin[h] = min[h];
            }

            if (!double.IsNaN(max[h]) && !(max[h] <= _pendingMax[h]))
            {
                _pendingMax[h] = max[h];
            }
        }
    }

    /// <summary>Hands a sample to the sink unless it is still busy with the previous one.</summary>
    /// <returns><see langword="false"/> when the sink was busy and skips this sample.</returns>
    public bool TryOffer(RuntimeSnapshot sample, CancellationToken cancellationToken)
    {
        Accumulate(sample);
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        _snapshot.CopyFrom(sample);
        ReadOnlySpan<double> values = _snapshot.Values;
        Span<double> deltas = _snapshot.Deltas;
        deltas.Fill(double.NaN);
        foreach (int i in s_counters)
        {
            double now = values[i];
            if (double.IsNaN(now))
            {
                continue;
            }

            double before = _lastDelivered[i];
            if (!double.IsNaN(before))
            {
                deltas[i] = Math.Max(0, now - before);
            }

            _lastDelivered[i] = now;
        }

        ComputeHistogramWindow();
        ComputeCollectionWindow();
        _snapshot.Elapsed = _primed ? sample.Timestamp - _lastDeliveredAt : TimeSpan.Zero;
        _lastDeliveredAt = sample.Timestamp;
        _primed = true;
        _cancellationToken = cancellationToken;
        Deliver();
        return true;
    }

    private void ComputeHistogramWindow()
    {
        ReadOnlySpan<long> bucketTotals = _snapshot.HistogramBucketTotals;
        ReadOnlySpan<long> countTotals = _snapshot.HistogramCountTotals;
        ReadOnlySpan<double> sumTotals = _snapshot.HistogramSumTotals;
        Span<long> buckets = _snapshot.HistogramBucketsWindow;
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = Math.Max(0, bucketTotals[i] - _lastBucketTotals[i]);
        }

        bucketTotals.CopyTo(_lastBucketTotals);
        for (int h = 0; h < countTotals.Length; h++)
        {
            long count = Math.Max(0, countTotals[h] - _lastCountTotals[h]);
            _snapshot.HistogramCountWindow[h] = count;
            _snapshot.HistogramSumWindow[h] = count == 0 ? 0 : sumTotals[h] - _lastSumTotals[h];
            _snapshot.HistogramMinWindow[h] = count == 0 ? double.NaN : _pendingMin[h];
            _snapshot.HistogramMaxWindow[h] = count == 0 ? double.NaN : _pendingMax[h];
        }

        countTotals.CopyTo(_lastCountTotals);
        sumTotals.CopyTo(_lastSumTotals);
        Array.Fill(_pendingMin, double.NaN);
        Array.Fill(_pendingMax, double.NaN);
    }

    /// <summary>
    /// Lists the collections observed since this sink's last sample, oldest first, merging the ephemeral and
    /// generation 2 histories in the order observed; what fell out of the histories, and what was recovered without
    /// its detail, is counted as omitted.
    /// </summary>
    private void ComputeCollectionWindow()
    {
        GcCollectionHistory ephemeral = _snapshot.EphemeralHistory;
        GcCollectionHistory gen2 = _snapshot.Gen2History;
        long newEphemeral = Math.Max(0, ephemeral.Total - _lastEphemeralTotal);
        long newGen2 = Math.Max(0, gen2.Total - _lastGen2Total);
        int e = ephemeral.Count - (int)Math.Min(newEphemeral, ephemeral.Count);
        int g = gen2.Count - (int)Math.Min(newGen2, gen2.Count);
        long newUnlisted = Math.Max(0, _snapshot.UnlistedCollectionTotal - _lastUnlistedTotal);
        _snapshot.CollectionsOmitted = newEphemeral - (ephemeral.Count - e) + newGen2 - (gen2.Count - g) + newUnlisted;

        Span<GcCollectionInfo> window = _snapshot.CollectionStorage;
        int n = 0;
        while (e < ephemeral.Count || g < gen2.Count)
        {
            bool takeEphemeral = g >= gen2.Count || (e < ephemeral.Count && ephemeral[e].Sequence < gen2[g].Sequence);
            window[n++] = takeEphemeral ? ephemeral[e++] : gen2[g++];
        }

        _snapshot.CollectionCount = n;
        _lastEphemeralTotal = ephemeral.Total;
        _lastGen2Total = gen2.Total;
        _lastUnlistedTotal = _snapshot.UnlistedCollectionTotal;
    }

    /// <summary>Gets whether the sink is writing a sample; unlike <see cref="WhenIdleAsync"/>, asking allocates nothing.</summary>
    public bool IsBusy => Volatile.Read(ref _busy) != 0;

    /// <summary>Completes when the sink is not writing.</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            if (Volatile.Read(ref _busy) == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    private void Execute()
    {
        t_running = this;
        try
        {
            ValueTask pending = Sink.WriteAsync(_snapshot, _cancellationToken);
            if (pending.IsCompleted)
            {
                pending.GetAwaiter().GetResult();
                Complete();
            }
            else
            {
                _ = CompleteAsync(pending);
            }
        }
#pragma warning disable CA1031 // Isolation: a sink's exception of any type is counted and reported, never rethrown into the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _onError(this, e, _cancellationToken);
            Complete();
        }
        finally
        {
            t_running = null;
        }
    }

    private async Task CompleteAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Isolation: a sink's exception of any type is counted and reported, never rethrown into the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _onError(this, e, _cancellationToken);
        }
        finally
        {
            Complete();
        }
    }

    private void Complete()
    {
        TaskCompletionSource? idle;
        lock (_lock)
        {
            Volatile.Write(ref _busy, 0);
            idle = _idle;
            _idle = null;
        }

        idle?.TrySetResult();
    }
}
