using RuntimeProfiling.Diagnostics;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Collection;

/// <content>The sampling thread: ticks, skips and the hand-off to sinks.</content>
public sealed partial class RuntimeProfiler
{
    // Touched only by the sampling thread, or by Start and the stop path while no sampling thread runs.
    private RuntimeSnapshot _current = new();
    private RuntimeSnapshot _previous = new();
    private long _sequence;
    private long _ticksSkipped;
    private long _sinkSkipped;
    private long _sinkErrors;

    internal long TicksSkipped => Interlocked.Read(ref _ticksSkipped);

    internal long SinkSkipped => Interlocked.Read(ref _sinkSkipped);

    internal long SinkErrors => Interlocked.Read(ref _sinkErrors);

    /// <summary>Completes when no sink is writing, for tests that need a sink idle before the next tick.</summary>
    internal Task WhenSinksIdleAsync() => Task.WhenAll(_lanes.Select(l => l.WhenIdleAsync()));

    /// <summary>Completes when the given sink is not writing.</summary>
    internal Task WhenSinkIdleAsync(IRuntimeMetricsSink sink) => _lanes.First(l => ReferenceEquals(l.Sink, sink)).WhenIdleAsync();

    /// <summary>Gets or sets a semaphore released after every tick is scheduled, so fake-clock tests advance time only when the timer is set.</summary>
    internal SemaphoreSlim? TickScheduled { get; set; }

    private Run StartRun()
    {
        // The baseline: the first deltas each sink receives are measured from here.
        _sampler.Read(_previous, null);
        foreach (SinkLane lane in _lanes)
        {
            lane.Prime(_previous);
        }

        var run = new Run(this, _timeProvider.GetTimestamp()) { Delay = Interval };

        // With the system clock the sampling thread sleeps until each tick itself. A timer would wake two more
        // threads per tick (the timer's, then a thread-pool worker for its callback, which then spins looking
        // for work): at a 10 ms interval that costs the host far more than the samples. Other clocks (fake
        // time in tests) drive ticks through their timers.
        if (_timeProvider != TimeProvider.System)
        {
            run.Timer = _timeProvider.CreateTimer(static state => ((Run)state!).Wake.Set(), run, Interval, Timeout.InfiniteTimeSpan);
        }

        run.Start();
        return run;
    }

    private void RunLoop(Run run)
    {
        // Nothing may escape this thread: an unhandled exception here would end the host process.
        try
        {
            while (true)
            {
                run.WaitForTick();
                if (run.StopRequested)
                {
                    break;
                }

                Tick(run.Cancellation.Token);
                ScheduleNext(run);
                TickScheduled?.Release();
            }
        }
#pragma warning disable CA1031 // Isolation: nothing may escape the sampling thread or the stop path into the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            RuntimeProfilerEventSource.Log.SampleFailed(e);
        }
        finally
        {
            run.Exited.TrySetResult();
        }
    }

    internal void Tick(CancellationToken cancellationToken)
    {
        try
        {
            ReadSample();
            foreach (SinkLane lane in _lanes)
            {
                if (!lane.TryOffer(_current, cancellationToken))
                {
                    Interlocked.Increment(ref _sinkSkipped);
                }
            }

            (_current, _previous) = (_previous, _current);
        }
#pragma warning disable CA1031 // Isolation: nothing may escape the sampling thread or the stop path into the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            RuntimeProfilerEventSource.Log.SampleFailed(e);
        }
    }

    /// <summary>Reads the runtime into the current snapshot, with the profiler's own figures and its sinks' health.</summary>
    private void ReadSample()
    {
        TimeSpan took = _sampler.Read(_current, _previous);
        Span<double> values = _current.Values;
        values[(int)MetricId.ProfilerSampleDuration] = took.TotalSeconds;
        values[(int)MetricId.ProfilerTicksSkipped] = Interlocked.Read(ref _ticksSkipped);
        values[(int)MetricId.ProfilerSinkErrors] = Interlocked.Read(ref _sinkErrors);
        values[(int)MetricId.ProfilerSinkSkipped] = Interlocked.Read(ref _sinkSkipped);
        foreach (SinkLane lane in _lanes)
        {
            if (lane.Sink is ISinkHealthReporter reporter)
            {
                reporter.ResetHealth(values);
            }
        }

        foreach (SinkLane lane in _lanes)
        {
            if (lane.Sink is ISinkHealthReporter reporter)
            {
                reporter.WriteHealth(values);
            }
        }

        _current.Sequence = ++_sequence;
    }

    private void ScheduleNext(Run run)
    {
        // Ticks sit at start + k * interval: a late or slow sample shifts nothing after it. Every tick
        // whose time passed while the last one ran is skipped and counted, never queued.
        TimeSpan elapsed = _timeProvider.GetElapsedTime(run.StartTimestamp);
        long next = Math.Max(run.TickIndex + 1, (elapsed.Ticks / Interval.Ticks) + 1);
        long skipped = next - run.TickIndex - 1;
        if (skipped > 0)
        {
            Interlocked.Add(ref _ticksSkipped, skipped);
            RuntimeProfilerEventSource.Log.TicksSkipped(skipped);
        }

        run.TickIndex = next;
        run.Delay = TimeSpan.FromTicks(next * Interval.Ticks) - elapsed;
        run.Timer?.Change(run.Delay, Timeout.InfiniteTimeSpan);
    }

    private async Task StopRunAsync(Run run, CancellationToken cancellationToken)
    {
        try
        {
            await run.Exited.Task.ConfigureAwait(false);
            run.Dispose();
            using var timeout = new CancellationTokenSource(_stopTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            if (_flushOnStop)
            {
                await FlushAsync(run, linked.Token).ConfigureAwait(false);
            }

            foreach (SinkLane lane in _lanes)
            {
                if (lane.IsCurrentThread)
                {
                    continue;
                }

                if (!await WaitIdleAsync(lane, linked.Token).ConfigureAwait(false))
                {
                    RuntimeProfilerEventSource.Log.SinkStopTimedOut(lane.Sink);
                }
            }
        }
#pragma warning disable CA1031 // Isolation: nothing may escape the sampling thread or the stop path into the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            RuntimeProfilerEventSource.Log.SampleFailed(e);
        }
        finally
        {
            // Sinks still writing see cancellation from here on.
            await run.Cancellation.CancelAsync().ConfigureAwait(false);
            run.Cancellation.Dispose();
            foreach (SinkLane lane in _lanes)
            {
                lane.StopDelivery();
            }

            _sampler.Stop();
            RuntimeProfilerEventSource.Log.Stopped();
        }
    }

    private async Task FlushAsync(Run run, CancellationToken cancellationToken)
    {
        // The sampling thread has exited, so this is the only writer of the snapshots now.
        ReadSample();
        foreach (SinkLane lane in _lanes)
        {
            // A sink still busy gets the last sample once it is done, so nothing of the final interval is lost.
            if (lane.IsCurrentThread || !await WaitIdleAsync(lane, cancellationToken).ConfigureAwait(false) || !lane.TryOffer(_current, run.Cancellation.Token))
            {
                Interlocked.Increment(ref _sinkSkipped);
            }
        }

        (_current, _previous) = (_previous, _current);
    }

    private static async Task<bool> WaitIdleAsync(SinkLane lane, CancellationToken cancellationToken)
    {
        try
        {
            await lane.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One start-to-stop period: its thread, timer (with a clock other than the system's) and stop signal.</summary>
    private sealed class Run : IDisposable
    {
        private bool _stopRequested;

        public Run(RuntimeProfiler owner, long startTimestamp)
        {
            StartTimestamp = startTimestamp;
            Thread = new Thread(static state => { var run = (Run)state!; run.Owner.RunLoop(run); }, maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                // Short enough to show whole where Linux truncates thread names to 15 characters (top -H, /proc).
                Name = "RtProfiler",
            };
            Owner = owner;
        }

        public RuntimeProfiler Owner { get; }

        public Thread Thread { get; }

        public ITimer? Timer { get; set; }

        /// <summary>Gets the event that ends a wait: set by a stop, and by the timer when there is one.</summary>
        /// <remarks>No spinning before it blocks: nothing sets it within a spin's time of the wait starting.</remarks>
        public ManualResetEventSlim Wake { get; } = new(initialState: false, spinCount: 0);

        /// <summary>Gets or sets the time from the end of the last tick to the next one.</summary>
        public TimeSpan Delay { get; set; }

        public CancellationTokenSource Cancellation { get; } = new();

        public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long StartTimestamp { get; }

        /// <summary>Gets or sets the number of the tick the timer is set for; tick k is due at start + k * interval.</summary>
        public long TickIndex { get; set; } = 1;

        public bool StopRequested => Volatile.Read(ref _stopRequested);

        public void Start() => Thread.Start(this);

        /// <summary>Returns when the next tick is due or a stop was requested.</summary>
        public void WaitForTick()
        {
            if (Timer is null)
            {
                // Only a stop sets the event, so returning early means stopping.
                Wake.Wait(Delay);
                return;
            }

            Wake.Wait();
            Wake.Reset();
        }

        public void RequestStop()
        {
            Volatile.Write(ref _stopRequested, true);
            Timer?.Dispose();
            Wake.Set();
        }

        public void Dispose()
        {
            Timer?.Dispose();
            Wake.Dispose();
        }
    }
}
