using RuntimeProfiling.Model;

namespace RuntimeProfiling.Collection;

/// <summary>
/// Delivers samples to one sink on a thread of its own, with its own copies of the snapshots, so a sink that
/// throws, blocks or runs slow never holds up the sampler or the other sinks (a built-in
/// <see cref="INonBlockingSink"/> is called on the offering thread instead). At intervals shorter than
/// <see cref="MaxDeliveryDelay"/> samples are queued and delivered in batches, one wake-up of the delivery
/// thread for each, in order. The queue holds a batch and one sample more, so a write that overruns an interval
/// (a cold start's compilation, a slow disk) delays the next sample rather than losing it. A sample that finds
/// the queue full (the sink still busy with earlier ones) is skipped; counter deltas are taken against what this
/// sink last queued, so the next sample it gets covers the skipped interval.
/// </summary>
internal sealed partial class SinkLane
{
    private static readonly int[] s_counters = [.. RuntimeMetricCatalog.Series.Where(s => s.Kind == MetricKind.Counter).Select(s => s.Index)];

#pragma warning disable IDE1006 // Thread statics take the t_ prefix (STYLE.md); .editorconfig naming rules cannot single them out.
    [ThreadStatic]
    private static SinkLane? t_running;
#pragma warning restore IDE1006

    // The queue: _queued snapshots from _head on, in the order offered. A slot is created when first used.
    private readonly RuntimeSnapshot?[] _slots;
    private readonly double[] _lastQueued = new double[RuntimeMetricCatalog.Count];
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
    private DateTimeOffset _lastQueuedAt;
    private bool _primed;
    private int _head;
    private int _queued;
    private bool _writing;
    private TaskCompletionSource? _idle;
    private CancellationToken _cancellationToken;

    /// <param name="sink">The sink to deliver to.</param>
    /// <param name="onError">Called with what the sink threw, on the thread that ran it.</param>
    /// <param name="interval">The time between samples: shorter than <see cref="MaxDeliveryDelay"/>, samples are delivered in batches.</param>
    public SinkLane(IRuntimeMetricsSink sink, Action<SinkLane, Exception, CancellationToken> onError, TimeSpan interval = default)
    {
        Sink = sink;
        IsInline = sink is INonBlockingSink;
        _onError = onError;
        Batch = IsInline || interval <= TimeSpan.Zero || interval >= MaxDeliveryDelay
            ? 1
            : (int)Math.Ceiling(MaxDeliveryDelay / interval);
        // An inline sink never waits, so it needs no spare slot for a write that overruns.
        _slots = new RuntimeSnapshot?[IsInline ? 1 : Batch + 1];
        Array.Fill(_lastQueued, double.NaN);
        Array.Fill(_pendingMin, double.NaN);
        Array.Fill(_pendingMax, double.NaN);
    }

    /// <summary>
    /// Gets how long a sample may wait in the queue before its delivery starts. Each batch costs the delivery
    /// thread one wake-up, which on a virtual machine can cost more CPU than writing a sample (about 45 µs here):
    /// at a 10 ms interval, woken for each sample, the JSON sink's thread took 84 µs a sample; in batches of 10,
    /// 35 to 48 µs.
    /// </summary>
    public static TimeSpan MaxDeliveryDelay { get; } = TimeSpan.FromMilliseconds(100);

    public IRuntimeMetricsSink Sink { get; }

    /// <summary>Gets how many samples the delivery thread is woken for: 1 unless the interval is shorter than <see cref="MaxDeliveryDelay"/>.</summary>
    public int Batch { get; }

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
        baseline.Values.CopyTo(_lastQueued);
        baseline.HistogramBucketTotals.CopyTo(_lastBucketTotals);
        baseline.HistogramCountTotals.CopyTo(_lastCountTotals);
        baseline.HistogramSumTotals.CopyTo(_lastSumTotals);
        _lastEphemeralTotal = baseline.EphemeralHistory.Total;
        _lastGen2Total = baseline.Gen2History.Total;
        _lastUnlistedTotal = baseline.UnlistedCollectionTotal;
        _lastQueuedAt = baseline.Timestamp;
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

    /// <summary>Queues a sample for the sink unless its queue is full.</summary>
    /// <returns><see langword="false"/> when the sink was busy with earlier samples and skips this one.</returns>
    public bool TryOffer(RuntimeSnapshot sample, CancellationToken cancellationToken)
    {
        Accumulate(sample);
        int tail;
        lock (_lock)
        {
            if (_queued == _slots.Length)
            {
                return false;
            }

            tail = (_head + _queued) % _slots.Length;
        }

        // The slot is this thread's until it is counted in: delivery reads only counted slots.
        RuntimeSnapshot snapshot = _slots[tail] ??= new RuntimeSnapshot();
        snapshot.CopyFrom(sample);
        ReadOnlySpan<double> values = snapshot.Values;
        Span<double> deltas = snapshot.Deltas;
        deltas.Fill(double.NaN);
        foreach (int i in s_counters)
        {
            double now = values[i];
            if (double.IsNaN(now))
            {
                continue;
            }

            double before = _lastQueued[i];
            if (!double.IsNaN(before))
            {
                deltas[i] = Math.Max(0, now - before);
            }

            _lastQueued[i] = now;
        }

        ComputeHistogramWindow(snapshot);
        ComputeCollectionWindow(snapshot);
        snapshot.Elapsed = _primed ? sample.Timestamp - _lastQueuedAt : TimeSpan.Zero;
        _lastQueuedAt = sample.Timestamp;
        _primed = true;
        _cancellationToken = cancellationToken;
        int queued;
        lock (_lock)
        {
            queued = ++_queued;
            _deliveryStopped = false;
        }

        if (IsInline)
        {
            DrainQueue();
        }
        else if (queued >= Batch)
        {
            Wake(start: true);
        }

        return true;
    }

    private void ComputeHistogramWindow(RuntimeSnapshot snapshot)
    {
        ReadOnlySpan<long> bucketTotals = snapshot.HistogramBucketTotals;
        ReadOnlySpan<long> countTotals = snapshot.HistogramCountTotals;
        ReadOnlySpan<double> sumTotals = snapshot.HistogramSumTotals;
        Span<long> buckets = snapshot.HistogramBucketsWindow;
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = Math.Max(0, bucketTotals[i] - _lastBucketTotals[i]);
        }

        bucketTotals.CopyTo(_lastBucketTotals);
        for (int h = 0; h < countTotals.Length; h++)
        {
            long count = Math.Max(0, countTotals[h] - _lastCountTotals[h]);
            snapshot.HistogramCountWindow[h] = count;
            snapshot.HistogramSumWindow[h] = count == 0 ? 0 : sumTotals[h] - _lastSumTotals[h];
            snapshot.HistogramMinWindow[h] = count == 0 ? double.NaN : _pendingMin[h];
            snapshot.HistogramMaxWindow[h] = count == 0 ? double.NaN : _pendingMax[h];
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
    private void ComputeCollectionWindow(RuntimeSnapshot snapshot)
    {
        GcCollectionHistory ephemeral = snapshot.EphemeralHistory;
        GcCollectionHistory gen2 = snapshot.Gen2History;
        long newEphemeral = Math.Max(0, ephemeral.Total - _lastEphemeralTotal);
        long newGen2 = Math.Max(0, gen2.Total - _lastGen2Total);
        int e = ephemeral.Count - (int)Math.Min(newEphemeral, ephemeral.Count);
        int g = gen2.Count - (int)Math.Min(newGen2, gen2.Count);
        long newUnlisted = Math.Max(0, snapshot.UnlistedCollectionTotal - _lastUnlistedTotal);
        snapshot.CollectionsOmitted = newEphemeral - (ephemeral.Count - e) + newGen2 - (gen2.Count - g) + newUnlisted;

        Span<GcCollectionInfo> window = snapshot.CollectionStorage;
        int n = 0;
        while (e < ephemeral.Count || g < gen2.Count)
        {
            bool takeEphemeral = g >= gen2.Count || (e < ephemeral.Count && ephemeral[e].Sequence < gen2[g].Sequence);
            window[n++] = takeEphemeral ? ephemeral[e++] : gen2[g++];
        }

        snapshot.CollectionCount = n;
        _lastEphemeralTotal = ephemeral.Total;
        _lastGen2Total = gen2.Total;
        _lastUnlistedTotal = snapshot.UnlistedCollectionTotal;
    }

    /// <summary>Gets whether the sink has samples queued or is writing one; unlike <see cref="WhenIdleAsync"/>, asking allocates nothing.</summary>
    public bool IsBusy => Volatile.Read(ref _queued) != 0;

    /// <summary>Completes when the sink has written every sample queued, delivering at once any that wait for a batch.</summary>
    public Task WhenIdleAsync()
    {
        Task idle;
        Delivery? delivery = null;
        lock (_lock)
        {
            if (_queued == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;

            // A write in progress goes on to what is queued behind it.
            if (!IsInline)
            {
                delivery = DeliveryStartingIf(start: !_writing);
            }
        }

        delivery?.Post();
        return idle;
    }

    /// <summary>Writes the queued samples in order, until none is left or the sink returns before it has finished one.</summary>
    private void DrainQueue()
    {
        while (true)
        {
            RuntimeSnapshot snapshot;
            lock (_lock)
            {
                if (_queued == 0 || _writing)
                {
                    return;
                }

                _writing = true;
                snapshot = _slots[_head]!;
            }

            if (!Execute(snapshot))
            {
                // The sink finishes on its own; its completion delivers what is queued meanwhile.
                return;
            }
        }
    }

    /// <returns>Whether the sink finished writing before returning.</returns>
    private bool Execute(RuntimeSnapshot snapshot)
    {
        t_running = this;
        try
        {
            ValueTask pending = Sink.WriteAsync(snapshot, _cancellationToken);
            if (pending.IsCompleted)
            {
                pending.GetAwaiter().GetResult();
                Complete();
                return true;
            }

            _ = CompleteAsync(pending);
            return false;
        }
#pragma warning disable CA1031 // Isolation: a sink's exception of any type is counted and reported, never rethrown into the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _onError(this, e, _cancellationToken);
            Complete();
            return true;
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
            // Without a delivery thread (the owner stopped meanwhile), what is queued is written here, on the thread
            // the sink finished on, rather than on a thread no stop would end.
            if (Complete() && !IsInline && !Wake(start: false))
            {
                DrainQueue();
            }
        }
    }

    /// <summary>Takes the written sample off the queue.</summary>
    /// <returns>Whether more samples are queued.</returns>
    private bool Complete()
    {
        TaskCompletionSource? idle = null;
        bool more;
        lock (_lock)
        {
            _writing = false;
            _head = (_head + 1) % _slots.Length;
            more = --_queued > 0;
            if (!more)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
        return more;
    }
}
