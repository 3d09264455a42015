using RuntimeProfiling.Diagnostics;

namespace RuntimeProfiling.Sampling;

/// <content>The sentinel: a generation 0 object whose finalizer runs after every GC and re-arms itself.</content>
internal sealed partial class GcPauseCapture
{
    private long _sentinelsCreated;
    private long _sentinelsFinalized;
    private long _sentinelsSuppressed;

    /// <summary>Gets the number of sentinels allocated, for tests that check none is left behind.</summary>
    internal long SentinelsCreated => Interlocked.Read(ref _sentinelsCreated);

    /// <summary>Gets the number of sentinel finalizers that ran.</summary>
    internal long SentinelsFinalized => Interlocked.Read(ref _sentinelsFinalized);

    /// <summary>Gets the number of sentinels whose finalizer <see cref="Stop"/> cancelled.</summary>
    internal long SentinelsSuppressed => Interlocked.Read(ref _sentinelsSuppressed);

    /// <summary>The body of a sentinel's finalizer: observe, then arm the next sentinel. Internal so tests can run it on their own thread and measure it.</summary>
    internal void OnSentinelFinalized(Arm arm)
    {
        Interlocked.Increment(ref _sentinelsFinalized);
        try
        {
            lock (_lock)
            {
                // A sentinel of a stopped or restarted capture ends its chain here.
                if (!_running || !ReferenceEquals(_arm, arm))
                {
                    return;
                }

                // A reader waiting for the lock observes as soon as it has it. Leaving the work to it keeps a
                // finalizer thread busy with back-to-back collections from starving the sampler or a Stop.
                if (Volatile.Read(ref _readersWaiting) == 0)
                {
                    Observe();
                }

                RearmPaced(arm);
            }
        }
#pragma warning disable CA1031 // An exception escaping a finalizer ends the process: report it and let the sampler re-arm.
        catch (Exception e)
#pragma warning restore CA1031
        {
            arm.IsBroken = true;
            RuntimeProfilerEventSource.Log.CaptureFailed(e);
        }
    }

    /// <summary>Gets the armed sentinel's chain, for tests.</summary>
    internal Arm? CurrentArm
    {
        get
        {
            using (EnterAsReader())
            {
                return _arm;
            }
        }
    }

    /// <summary>Cancels the armed sentinel without stopping, for tests that run the callback themselves.</summary>
    internal void CancelArmedSentinel()
    {
        using (EnterAsReader())
        {
            _arm?.Disarm();
        }
    }

    private void Rearm(Arm arm)
    {
        // Each sentinel must be new: a finalized object survives into generation 1, which gen0 GCs do not
        // look at, so re-registering it would miss every collection until the next gen1 one.
        var sentinel = new Sentinel(arm);
        Interlocked.Increment(ref _sentinelsCreated);
        arm.Current.SetTarget(sentinel);
        arm.IsBroken = false;
    }

    /// <summary>One start-to-stop chain of sentinels. A finalizer that finds its chain is no longer the capture's does nothing.</summary>
    internal sealed class Arm
    {
        public Arm(GcPauseCapture owner)
        {
            Owner = owner;
            Current = new WeakReference<Sentinel>(null!);
        }

        public GcPauseCapture Owner { get; }

        /// <summary>Gets the armed sentinel, weakly: a strong reference would keep it from ever being collected.</summary>
        public WeakReference<Sentinel> Current { get; }

        /// <summary>Gets or sets whether arming the next sentinel failed; the sampler's next read re-arms.</summary>
        public bool IsBroken { get; set; }

        /// <summary>Cancels the armed sentinel's finalizer, so no callback runs after stop. Called with the owner's lock held.</summary>
        public void Disarm()
        {
            // If the GC already found it unreachable the reference is empty and its finalizer will run, see a
            // disarmed chain and end it.
            if (Current.TryGetTarget(out Sentinel? sentinel))
            {
                sentinel.Cancel();
                Interlocked.Increment(ref Owner._sentinelsSuppressed);
            }

            Current.SetTarget(null!);
        }
    }

    /// <summary>Lives in generation 0 until the next GC, whose end its finalizer reports.</summary>
    internal sealed class Sentinel
    {
        private readonly Arm _arm;

        public Sentinel(Arm arm) => _arm = arm;

#pragma warning disable CA1816 // Not a Dispose pattern: stopping cancels the one callback this object exists for.
        public void Cancel() => GC.SuppressFinalize(this);
#pragma warning restore CA1816

        ~Sentinel() => _arm.Owner.OnSentinelFinalized(_arm);
    }
}
