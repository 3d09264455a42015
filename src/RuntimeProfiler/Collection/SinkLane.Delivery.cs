namespace RuntimeProfiling.Collection;

/// <content>
/// The lane's delivery thread. A thread of its own per sink, not the thread pool: a pool worker woken for each
/// sample spins looking for more work before it sleeps, which at a 10 ms interval cost the host hundreds of
/// microseconds of CPU per sample; a dedicated thread sleeps in the kernel between samples. The profiler
/// stops it at the end of each run, and the first batch offered after a start starts a new one.
/// </content>
internal sealed partial class SinkLane
{
    // An idle delivery thread exits as soon as it is told to; the bound only matters on a starved machine.
    private static readonly TimeSpan s_exitWait = TimeSpan.FromSeconds(1);

    private Delivery? _delivery;

    // Set from the owner's stop to the next offer: no thread may start meanwhile, since no stop would end it.
    private bool _deliveryStopped;

    /// <summary>Gets whether a delivery thread runs, for tests.</summary>
    internal bool HasDeliveryThread
    {
        get
        {
            lock (_lock)
            {
                return _delivery is not null;
            }
        }
    }

    /// <summary>
    /// Ends the delivery thread, waiting for it to exit when the sink is idle; a sink still writing keeps it until it
    /// returns. Called by the lane's owner when it stops; it must offer nothing more until it starts again, since an
    /// offer starts a new one.
    /// </summary>
    public void StopDelivery()
    {
        Delivery? delivery;
        lock (_lock)
        {
            delivery = _delivery;
            _delivery = null;
            _deliveryStopped = true;
        }

        delivery?.Close(IsBusy ? TimeSpan.Zero : s_exitWait);
    }

    /// <summary>Wakes the delivery thread to write what is queued, first starting one if none runs and <paramref name="start"/> allows.</summary>
    /// <returns>Whether a delivery thread was woken.</returns>
    private bool Wake(bool start)
    {
        Delivery? delivery;
        lock (_lock)
        {
            delivery = DeliveryStartingIf(start);
        }

        delivery?.Post();
        return delivery is not null;
    }

    /// <summary>
    /// Returns the delivery thread, first starting one if none runs, <paramref name="start"/> asks for it and the owner
    /// has not stopped delivery since its last offer (no stop would end that thread). Called under the lane's lock, so a
    /// stop cannot come between the decision and the start.
    /// </summary>
    private Delivery? DeliveryStartingIf(bool start) => _delivery ??= start && !_deliveryStopped ? new Delivery(this) : null;

    /// <summary>One delivery thread: each time it is posted to, it writes what is queued, then sleeps until the next post or until closed.</summary>
#pragma warning disable CA1001 // The thread disposes its event as it ends; disposing it from outside could race a Set.
    private sealed class Delivery
#pragma warning restore CA1001
    {
        private readonly SinkLane _lane;
        private readonly Thread _thread;

        // No spinning before blocking: posts come an interval apart or more, never within a spin's time.
        private readonly ManualResetEventSlim _signal = new(initialState: false, spinCount: 0);
        private int _posted;
        private volatile bool _closing;

        public Delivery(SinkLane lane)
        {
            _lane = lane;
            _thread = new Thread(static state => ((Delivery)state!).Run())
            {
                IsBackground = true,
                Name = "RtProfiler sink",
            };
            _thread.UnsafeStart(this);
        }

        public void Post()
        {
            Volatile.Write(ref _posted, 1);
            _signal.Set();
        }

        public void Close(TimeSpan wait)
        {
            _closing = true;
            _signal.Set();
            if (wait > TimeSpan.Zero && Thread.CurrentThread != _thread)
            {
                _thread.Join(wait);
            }
        }

        private void Run()
        {
            while (true)
            {
                _signal.Wait();
                _signal.Reset();

                // Samples posted before the close are delivered before the thread ends.
                if (Interlocked.Exchange(ref _posted, 0) == 1)
                {
                    _lane.DrainQueue();
                }

                if (_closing)
                {
                    break;
                }
            }

            _signal.Dispose();
        }
    }
}
