using System.Diagnostics;
using RuntimeProfiling.Diagnostics;

namespace RuntimeProfiling.Sampling;

/// <content>
/// Pacing: above a sustained rate of collections, observations are made on time instead of after every collection.
/// </content>
/// <remarks>
/// Each observation by the sentinel costs a wake-up of the finalizer thread: about 10 µs of CPU back to back,
/// three quarters of it the runtime's and the kernel's (docs/gc-pauses.md), so a tenth of a core at 10,000
/// collections per second. The sentinel's observations are therefore rationed by a token bucket (the generic
/// cell rate algorithm): up to <see cref="PacingOptions.Burst"/> back to back, <see cref="PacingOptions.RatePerSecond"/>
/// on average. When none is left, the next sentinel is held back and the pacer, a thread of ours, observes
/// instead, <see cref="PacingOptions.PollsPerSecond"/> times a second: one wake-up per observation, not one per
/// collection. Each of its observations records the latest collection with its detail, recovers a single lost
/// one from the totals, and counts the rest as missed. Once ten in a row find the collections since the one
/// before ran at the rate or slower, the sentinel is armed again. Below the rate nothing changes, and the pacer thread does not exist.
/// </remarks>
internal sealed partial class GcPauseCapture
{
    /// <summary>Consecutive polls that must find the collections at or under the rate before the sentinel is armed again.</summary>
    private const int SlowPollsToRelease = 10;

    private readonly PacingOptions _pacing;
    private readonly long _paceIntervalTicks;
    private readonly long _paceToleranceTicks;
    private readonly long _pollIntervalTicks;
    private long _paceArrival;
    private Arm? _held;
    private long _nextPoll;
    private long _lastPoll;
    private long _lastPollCount0;
    private int _slowPolls;
    private long _holds;
    private long _pacerPolls;
    private Pacer? _pacer;

    /// <summary>Gets the number of times the sentinel was held back and the pacer took over, for tests and the harness.</summary>
    internal long Holds
    {
        get
        {
            using (EnterAsReader())
            {
                return _holds;
            }
        }
    }

    /// <summary>Gets the number of observations the pacer made.</summary>
    internal long PacerPolls
    {
        get
        {
            using (EnterAsReader())
            {
                return _pacerPolls;
            }
        }
    }

    /// <summary>Gets whether a pacer thread exists, for tests that check none is left behind.</summary>
    internal bool HasPacer
    {
        get
        {
            using (EnterAsReader())
            {
                return _pacer is not null;
            }
        }
    }

    /// <summary>Gets whether the sentinel is held back and the pacer observes.</summary>
    internal bool IsHeld
    {
        get
        {
            using (EnterAsReader())
            {
                return _held is not null;
            }
        }
    }

    /// <summary>Arms the next sentinel if the rate allows, else hands observation to the pacer. Called with the lock held.</summary>
    private void RearmPaced(Arm arm)
    {
        if (_paceIntervalTicks == 0)
        {
            Rearm(arm);
            return;
        }

        long now = Stopwatch.GetTimestamp();
        if (now >= _paceArrival - _paceToleranceTicks)
        {
            TakeToken(now);
            Rearm(arm);
            return;
        }

        // The thread first: if it cannot start, the chain breaks as a failed arm would, and the sampler re-arms.
        _pacer ??= Pacer.Start(this);
        _held = arm;
        _slowPolls = 0;
        _lastPoll = now;
        _lastPollCount0 = GC.CollectionCount(0);
        _nextPoll = now + _pollIntervalTicks;
        _holds++;
        _pacer.Nudge();
        RuntimeProfilerEventSource.Log.CapturePaced(_pacing.RatePerSecond, _pacing.PollsPerSecond);
    }

    private void TakeToken(long now) => _paceArrival = Math.Max(_paceArrival, now) + _paceIntervalTicks;

    /// <summary>Called by <see cref="Start"/> with the lock held: a new run starts with its whole burst.</summary>
    private void ResetPacing()
    {
        _paceArrival = 0;
        _held = null;
    }

    /// <summary>Called by <see cref="Stop"/> with the lock held; the caller disposes the returned pacer (which waits for its thread) once it has released the lock.</summary>
    private Pacer? DetachPacer()
    {
        _held = null;
        Pacer? pacer = _pacer;
        _pacer = null;
        pacer?.RequestStop();
        return pacer;
    }

    /// <summary>One round of the pacer, with the lock held: observes when due, and says how long to wait.</summary>
    /// <param name="pacer">The calling pacer.</param>
    /// <param name="wait">The wait in milliseconds, or <see cref="Timeout.Infinite"/> until nudged.</param>
    /// <returns>False when the pacer is no longer the capture's and must end.</returns>
    private bool PaceRound(Pacer pacer, out int wait)
    {
        wait = Timeout.Infinite;
        if (!ReferenceEquals(_pacer, pacer))
        {
            return false;
        }

        if (_held is not { } arm)
        {
            return true;
        }

        long now = Stopwatch.GetTimestamp();
        if (now >= _nextPoll)
        {
            long count0 = GC.CollectionCount(0);
            Observe();
            _pacerPolls++;
            bool slow = (count0 - _lastPollCount0) * Stopwatch.Frequency <= _pacing.RatePerSecond * (now - _lastPoll);
            _slowPolls = slow ? _slowPolls + 1 : 0;
            _lastPoll = now;
            _lastPollCount0 = count0;

            // One slow interval proves little: a single long collection (a gen2 one of a large heap) fills it.
            if (_slowPolls >= SlowPollsToRelease)
            {
                _held = null;
                Rearm(arm);
                return true;
            }

            _nextPoll = now + _pollIntervalTicks;
        }

        wait = WholeMilliseconds(_nextPoll - now);
        return true;
    }

    private static int WholeMilliseconds(long stopwatchTicks) =>
        (int)Math.Clamp((stopwatchTicks * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency, 1, int.MaxValue);

    /// <summary>How often the sentinel may observe, and how often the pacer observes in its place.</summary>
    /// <param name="RatePerSecond">The sentinel's observations per second on average; 0 turns pacing off (every collection re-arms at once).</param>
    /// <param name="Burst">The sentinel's observations allowed back to back before the rate applies.</param>
    /// <param name="PollsPerSecond">The pacer's observations per second while the sentinel is held back.</param>
    internal readonly record struct PacingOptions(int RatePerSecond, int Burst, int PollsPerSecond)
    {
        /// <summary>The shipped setting, chosen by measurement (docs/gc-pauses.md, "Pacing").</summary>
        public static PacingOptions Default => new(250, 2500, 50);

        public static PacingOptions Off => new(0, 0, 0);
    }

    /// <summary>The thread that observes while the sentinel is held back. Exists from the first hold of a run to its stop.</summary>
    private sealed class Pacer : IDisposable
    {
        private readonly GcPauseCapture _owner;
        private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);
        private readonly Thread _thread;
        private bool _sleeping;

        private Pacer(GcPauseCapture owner)
        {
            _owner = owner;
            _thread = new Thread(static state => ((Pacer)state!).Run(), maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = "RtProfiler GC",
            };
        }

        public static Pacer Start(GcPauseCapture owner)
        {
            var pacer = new Pacer(owner);
            pacer._thread.Start(pacer);
            return pacer;
        }

        /// <summary>Wakes the pacer if it sleeps without a timeout. Called with the owner's lock held.</summary>
        public void Nudge()
        {
            if (_sleeping)
            {
                _sleeping = false;
                _wake.Set();
            }
        }

        /// <summary>Called with the owner's lock held; the pacer ends at its next round.</summary>
        public void RequestStop() => _wake.Set();

        /// <summary>Waits for the thread to end after <see cref="RequestStop"/>, then frees the event. Called without the owner's lock.</summary>
        public void Dispose()
        {
            _thread.Join();
            _wake.Dispose();
        }

        private void Run()
        {
            try
            {
                while (true)
                {
                    int wait;
                    lock (_owner._lock)
                    {
                        if (!_owner.PaceRound(this, out wait))
                        {
                            return;
                        }

                        _sleeping = wait == Timeout.Infinite;
                    }

                    _wake.Wait(wait);
                    _wake.Reset();
                }
            }
#pragma warning disable CA1031 // Isolation: nothing may escape this thread into the host. The sampler's next read re-arms.
            catch (Exception e)
#pragma warning restore CA1031
            {
                lock (_owner._lock)
                {
                    if (ReferenceEquals(_owner._pacer, this))
                    {
                        _owner._pacer = null;
                        if (_owner._held is { } arm)
                        {
                            _owner._held = null;
                            arm.IsBroken = true;
                        }
                    }
                }

                RuntimeProfilerEventSource.Log.CaptureFailed(e);
            }
        }
    }
}
