using System.Diagnostics;
using System.Runtime;
using RuntimeProfiling.Diagnostics;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>
/// Captures every garbage collection pause, with no event pipe: an object with a finalizer (the sentinel)
/// is allocated in generation 0, every GC finds it unreachable and queues it for finalization, and its
/// finalizer reads <see cref="GC.GetGCMemoryInfo(GCKind)"/>, records the collection and allocates its
/// successor. The sampler also observes on every read, which catches collections the finalizer thread
/// has not got to and background collections that end between ephemeral ones.
/// </summary>
/// <remarks>
/// <para>
/// Only the latest collection of each kind can be read back, so when several collections run before the
/// finalizer thread does, all but the latest are lost: they are counted, from the jump in
/// <see cref="GC.CollectionCount(int)"/>, in <c>dotnet.gc.pause.missed</c>. See <c>docs/gc-pauses.md</c>.
/// </para>
/// <para>
/// Thread-safe: the finalizer thread and readers take one lock, each for about a microsecond; a finalizer
/// that finds a reader waiting leaves the observation to it, so back-to-back collections cannot starve readers.
/// <see cref="Stop"/> unhooks the sentinel at once; a stopped capture can start again, and its totals carry on.
/// </para>
/// </remarks>
internal sealed partial class GcPauseCapture
{
    private const int MaxConsistentReads = 4;
    private const int KindCount = 3;

    private static readonly long[] s_boundTicks = [.. RuntimeMetricCatalog.GcPauseBounds.Select(b => (long)Math.Round(b * TimeSpan.TicksPerSecond))];

    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private int _readersWaiting;
    private readonly long[] _buckets = new long[RuntimeMetricCatalog.HistogramCount * RuntimeSnapshot.BucketSlots];
    private readonly long[] _counts = new long[RuntimeMetricCatalog.HistogramCount];
    private readonly long[] _sumTicks = new long[RuntimeMetricCatalog.HistogramCount];
    private readonly long[] _minTicks = new long[RuntimeMetricCatalog.HistogramCount];
    private readonly long[] _maxTicks = new long[RuntimeMetricCatalog.HistogramCount];
    private readonly long[] _lastIndex = new long[KindCount];
    private readonly GcCollectionHistory _ephemeral = new(RuntimeSnapshot.EphemeralCollectionCapacity);
    private readonly GcCollectionHistory _gen2 = new(RuntimeSnapshot.Gen2CollectionCapacity);
    private readonly bool _armSentinel;
    private Arm? _arm;
    private bool _running;
    private bool _everStarted;
    private long _recordSequence;

    // Accounting (see Observe): every collection with an index in (_base, _seen0] is recorded, counted as
    // missed, or is the one background collection that may still be running (_hold).
    private long _base;
    private long _seen0;
    private long _seen2;
    private Cut _cut;
    private long _expected;
    private long _recorded;
    private long _missedReported;
    private long _recovered;
    private bool _hold;

    private GCMemoryInfo _latest;
    private DateTimeOffset _latestObservedAt;
    private bool _hasLatest;

    public GcPauseCapture(TimeProvider timeProvider)
        : this(timeProvider, armSentinel: true, PacingOptions.Default)
    {
    }

    /// <inheritdoc cref="GcPauseCapture(TimeProvider, bool, PacingOptions)"/>
    internal GcPauseCapture(TimeProvider timeProvider, bool armSentinel)
        : this(timeProvider, armSentinel, PacingOptions.Default)
    {
    }

    /// <param name="timeProvider">The clock of <see cref="GcCollectionInfo.ObservedAt"/>.</param>
    /// <param name="armSentinel">False for tests that need the sampler's reads to be the only observer.</param>
    /// <param name="pacing">How often the sentinel may observe (see the pacing part of this class).</param>
    internal GcPauseCapture(TimeProvider timeProvider, bool armSentinel, PacingOptions pacing)
    {
        if (pacing.RatePerSecond < 0 || (pacing.RatePerSecond > 0 && (pacing.Burst < 1 || pacing.PollsPerSecond is < 1 or > 1000)))
        {
            throw new ArgumentOutOfRangeException(nameof(pacing), pacing, "The rate must be 0 (off) or positive, with a burst of at least 1 and 1 to 1,000 polls a second.");
        }

        _timeProvider = timeProvider;
        _armSentinel = armSentinel;
        _paceIntervalTicks = pacing.RatePerSecond == 0 ? 0 : Math.Max(1, Stopwatch.Frequency / pacing.RatePerSecond);
        _paceToleranceTicks = (pacing.Burst - 1) * _paceIntervalTicks;
        _pacing = pacing;
        _pollIntervalTicks = pacing.PollsPerSecond == 0 ? 0 : Stopwatch.Frequency / pacing.PollsPerSecond;
        Array.Fill(_minTicks, long.MaxValue);
        Array.Fill(_maxTicks, -1);
    }

    public bool IsRunning
    {
        get
        {
            using (EnterAsReader())
            {
                return _running;
            }
        }
    }

    /// <summary>Gets the number of <see cref="GC.GetGCMemoryInfo(GCKind)"/> calls made, for tests of when it is called.</summary>
    internal long MemoryInfoReads { get; private set; }

    /// <summary>Gets the number of collections recorded in the histogram.</summary>
    internal long Recorded
    {
        get
        {
            using (EnterAsReader())
            {
                return _recorded;
            }
        }
    }

    /// <summary>Gets the number of lost collections recorded from the runtime's totals, without their detail (included in <see cref="Recorded"/>).</summary>
    internal long Recovered
    {
        get
        {
            using (EnterAsReader())
            {
                return _recovered;
            }
        }
    }

    /// <summary>Gets the number of collections known to be lost: not recorded, and never to be.</summary>
    internal long Missed
    {
        get
        {
            using (EnterAsReader())
            {
                return _missedReported;
            }
        }
    }

    /// <summary>Starts capturing. Collections that ran while stopped are counted as missed.</summary>
    public void Start()
    {
        using (EnterAsReader())
        {
            if (_running)
            {
                return;
            }

            Cut cut = ReadCut();

            if (_everStarted)
            {
                _expected += cut.Count0 - _seen0;
                _hold = false;
                UpdateMissed();
            }

            _base = cut.Count0;
            _seen0 = cut.Count0;
            _seen2 = cut.Count2;
            _cut = cut;

            // The last-collection figures describe the latest collection from the first sample on, even one
            // that ended before the capture started: it is first seen now. It is not in the histogram.
            GCMemoryInfo latest = Read(GCKind.Any);
            if (latest.Index != 0 && (!_hasLatest || latest.Index != _latest.Index))
            {
                _latest = latest;
                _latestObservedAt = _timeProvider.GetUtcNow();
                _hasLatest = true;
            }
            _running = true;
            _everStarted = true;
            ResetPacing();
            _arm = new Arm(this);
            if (_armSentinel)
            {
                Rearm(_arm);
            }
        }
    }

    /// <summary>Stops capturing and unhooks the sentinel, so no callback of ours runs after this returns.</summary>
    public void Stop()
    {
        Pacer? pacer;
        using (EnterAsReader())
        {
            if (!_running)
            {
                return;
            }

            _running = false;
            if (_arm is { } arm)
            {
                _arm = null;
                arm.Disarm();
            }

            pacer = DetachPacer();
        }

        // It takes the lock for its last round, so only now can it end.
        pacer?.Dispose();
    }

    /// <summary>Records what the runtime shows that is not recorded yet.</summary>
    /// <remarks>Allocates nothing when no collection ran since the last observation; otherwise one <see cref="GCMemoryInfo"/> per kind read.</remarks>
    public void Poll()
    {
        bool rearmed;
        using (EnterAsReader())
        {
            rearmed = PollLocked();
        }

        if (rearmed)
        {
            RuntimeProfilerEventSource.Log.CaptureRearmed();
        }
    }

    /// <summary>
    /// What the sampler calls on every read: <see cref="Poll"/>, then <see cref="WriteTo"/> and
    /// <see cref="TryGetLatest"/>, under one lock, so the three see the same observation.
    /// </summary>
    /// <returns>Whether the collection counts and the pause total were written.</returns>
    public bool PollAndWriteTo(RuntimeSnapshot target, out LatestCollection latest)
    {
        bool rearmed;
        bool counted;
        using (EnterAsReader())
        {
            rearmed = PollLocked();
            counted = WriteToLocked(target);
            latest = new LatestCollection(_latest, _latestObservedAt, _hasLatest);
        }

        if (rearmed)
        {
            RuntimeProfilerEventSource.Log.CaptureRearmed();
        }

        return counted;
    }

    /// <returns>Whether a broken sentinel chain was re-armed.</returns>
    private bool PollLocked()
    {
        if (!_running)
        {
            return false;
        }

        Observe();

        // A finalizer that failed ended its chain; until this read, collections could only be seen here.
        if (_arm is { IsBroken: true } arm)
        {
            Rearm(arm);
            return true;
        }

        return false;
    }

    /// <summary>Takes the lock for anything but the sentinel's finalizer, which defers its work to a reader that waits.</summary>
    private ReaderScope EnterAsReader()
    {
        // Uncontended, which is almost always, there is no one to announce the wait to.
        if (!_lock.TryEnter())
        {
            Interlocked.Increment(ref _readersWaiting);
            try
            {
                _lock.Enter();
            }
            finally
            {
                Interlocked.Decrement(ref _readersWaiting);
            }
        }

        return new ReaderScope(_lock);
    }

    private static GcCollectionKind KindOf(in GCMemoryInfo info) =>
        info.Concurrent ? GcCollectionKind.Background : info.Generation >= 2 ? GcCollectionKind.FullBlocking : GcCollectionKind.Ephemeral;

    private static Cut ReadCut()
    {
        // Every collection adds to the generation 0 count, so an unchanged count means none ran in between.
        Cut cut = default;
        for (int i = 0; i < MaxConsistentReads; i++)
        {
            cut = new Cut(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            if (GC.CollectionCount(0) == cut.Count0)
            {
                break;
            }
        }

        // Collections that kept running through every read are settled by the next observation.
        return cut;
    }

    private GCMemoryInfo Read(GCKind kind)
    {
        MemoryInfoReads++;
        return GC.GetGCMemoryInfo(kind);
    }

    private void UpdateMissed()
    {
        // Reported as a counter: it only grows, even if a later observation recovers what looked lost.
        long missed = _expected - _recorded - (_hold ? 1 : 0);
        _missedReported = Math.Max(_missedReported, missed);
    }

    /// <summary>Releases the lock a reader took.</summary>
    private readonly ref struct ReaderScope(Lock held)
    {
        public void Dispose() => held.Exit();
    }
}
