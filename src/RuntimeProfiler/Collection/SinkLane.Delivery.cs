namespace RuntimeProfiling.Collection;

/// <content>
/// The lane's delivery thread. A thread of its own per sink, not the thread pool: a pool worker woken for each
/// sample spins looking for more work before it sleeps, which at a 10 ms interval cost the host hundreds of
/// microseconds of CPU per sample; a dedicated thread sleeps in the kernel between samples. The profiler
/// stops it at the end of each run, and the first sample offered after a start starts a new one.
/// </content>
internal sealed partial class SinkLane
{
    // An idle delivery thread exits as soon as it is told to; the bound only matters on a starved machine.
    private static readonly TimeSpan s_exitWait = TimeSpan.FromSeconds(1);

    private Delivery? _delivery;

    /// <summary>
    /// Ends the delivery thread, waiting for it to exit when the sink is idle; a sink still writing keeps it until it
    /// returns. A later offer starts a new one. Called by the lane's owner when it stops.
    /// </summary>
    public void StopDelivery()
    {
        Delivery? delivery = Interlocked.Exchange(ref _delivery, null);
        delivery?.Close(IsBusy ? TimeSpan.Zero : s_exitWait);
    }

    private void Deliver()
    {
        if (IsInline)
        {
            Execute();
            return;
        }

        (_delivery ??= new Delivery(this)).Post();
    }

    /// <summary>One delivery thread: it runs each sample posted to it, then sleeps until the next or until closed.</summary>
#pragma warning disable CA1001 // The thread disposes its event as it ends; disposing it from outside could race a Set.
    private sealed class Delivery
#pragma warning restore CA1001
    {
        private readonly SinkLane _lane;
        private readonly Thread _thread;

        // No spinning before blocking: samples come an interval apart, never within a spin's time.
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

                // A sample posted before the close is delivered before the thread ends.
                if (Interlocked.Exchange(ref _posted, 0) == 1)
                {
                    _lane.Execute();
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
