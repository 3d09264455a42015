using RuntimeProfiling.Diagnostics;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Collection;

/// <summary>
/// Samples the .NET runtime on a fixed interval and hands every sample to its sinks.
/// </summary>
/// <remarks>
/// <para>
/// Sampling runs on one dedicated background thread, so it stays on time when the thread pool is starved;
/// ticks are aligned to the start time (no drift), never overlap, and ticks missed because a sample ran
/// late are skipped and counted (<c>runtime_profiler.ticks.skipped</c>), not queued. Each sink is called
/// on a background thread of its own (for the length of a run) with its own copy of the sample: a sink that
/// throws, blocks or is slow never holds up the others or the sampler, and its exceptions never reach the
/// application. A sink whose write completes asynchronously continues on the thread pool.
/// </para>
/// <para>
/// <see cref="Start"/> after <see cref="StopAsync"/> starts sampling again; counters carry on, and the first
/// deltas after a restart cover the stopped time. After <see cref="Dispose"/> the profiler cannot start again.
/// All members are thread-safe. The profiler does not own its sinks: dispose them after the profiler.
/// </para>
/// </remarks>
public sealed partial class RuntimeProfiler : IDisposable, IAsyncDisposable
{
    /// <summary>The shortest interval allowed: 10 milliseconds.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest interval allowed: 1 day.</summary>
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromDays(1);

    private readonly TimeProvider _timeProvider;
    private readonly ISampleSource _sampler;
    private readonly SinkLane[] _lanes;
    private readonly TimeSpan _stopTimeout;
    private readonly bool _flushOnStop;
    private readonly Action<IRuntimeMetricsSink, Exception>? _onSinkError;
    private readonly Lock _gate = new();
    private Run? _run;
    private Task _stopping = Task.CompletedTask;
    private bool _disposed;

    /// <summary>Initializes a profiler that writes to one sink.</summary>
    /// <param name="sink">The sink that receives every sample.</param>
    /// <param name="interval">The time between samples, from 10 ms to 1 day.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is outside 10 ms to 1 day.</exception>
    public RuntimeProfiler(IRuntimeMetricsSink sink, TimeSpan interval)
        : this(CreateOptions([sink ?? throw new ArgumentNullException(nameof(sink))], interval, nameof(interval)), TimeProvider.System)
    {
    }

    /// <summary>Initializes a profiler that writes to several sinks.</summary>
    /// <param name="sinks">The sinks that receive every sample; at least one, none null.</param>
    /// <param name="interval">The time between samples, from 10 ms to 1 day.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sinks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sinks"/> is empty or holds a null sink.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is outside 10 ms to 1 day.</exception>
    public RuntimeProfiler(IEnumerable<IRuntimeMetricsSink> sinks, TimeSpan interval)
        : this(CreateOptions(sinks ?? throw new ArgumentNullException(nameof(sinks)), interval, nameof(interval), nameof(sinks)), TimeProvider.System)
    {
    }

    /// <summary>Initializes a profiler from options.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the exception names it.</exception>
    public RuntimeProfiler(RuntimeProfilerOptions options)
        : this(options, TimeProvider.System)
    {
    }

    internal RuntimeProfiler(RuntimeProfilerOptions options, TimeProvider timeProvider)
        : this(options, timeProvider, null)
    {
    }

    /// <summary>Initializes a profiler that reads its figures from <paramref name="source"/> instead of this process; it owns the source.</summary>
    internal RuntimeProfiler(RuntimeProfilerOptions options, TimeProvider timeProvider, ISampleSource? source)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        Interval = options.Interval;
        _stopTimeout = options.StopTimeout;
        _flushOnStop = options.FlushOnStop;
        _onSinkError = options.OnSinkError;
        _timeProvider = timeProvider;
        _sampler = source ?? new RuntimeSampler(timeProvider);
        _lanes = [.. options.Sinks.Select(s => new SinkLane(s, OnSinkFailed, Interval))];
    }

    /// <summary>Gets the time between samples.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Gets whether the profiler is sampling: started and not stopped.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _run is not null;
            }
        }
    }

    /// <summary>Starts sampling. Does nothing when already running; starts again after <see cref="StopAsync"/>.</summary>
    /// <remarks>The first sample is taken one interval after this call; counter deltas are measured from this call.</remarks>
    /// <exception cref="ObjectDisposedException">The profiler was disposed.</exception>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_run is not null)
            {
                return;
            }

            // A stop still finishing (its final flush) must not race the new baseline.
            _stopping.GetAwaiter().GetResult();
            _sampler.Start();
            _run = StartRun();
            RuntimeProfilerEventSource.Log.Started(Interval.TotalSeconds);
        }
    }

    /// <summary>
    /// Stops sampling: waits for a sample in flight, takes one last sample for the sinks (unless
    /// <see cref="RuntimeProfilerOptions.FlushOnStop"/> is off) and waits for the sinks to finish, up to
    /// <see cref="RuntimeProfilerOptions.StopTimeout"/>. Calling it again, or when not running, does nothing.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the sinks early; sampling is stopped regardless.</param>
    /// <returns>A task that completes when the profiler has stopped; it never faults.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_run is null)
            {
                return _stopping;
            }

            Run run = _run;
            _run = null;
            run.RequestStop();
            _stopping = StopRunAsync(run, cancellationToken);
            return _stopping;
        }
    }

    /// <summary>Stops sampling as <see cref="StopAsync"/> does, waiting synchronously, and releases everything the profiler holds.</summary>
    public void Dispose()
    {
        Task stopping = BeginDispose();
        stopping.GetAwaiter().GetResult();
        Release();
    }

    /// <summary>Stops sampling as <see cref="StopAsync"/> does and releases everything the profiler holds.</summary>
    /// <returns>A task that completes when the profiler has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await BeginDispose().ConfigureAwait(false);
        Release();
    }

    private static RuntimeProfilerOptions CreateOptions(IEnumerable<IRuntimeMetricsSink> sinks, TimeSpan interval, string intervalName, string sinksName = "sink")
    {
        var options = new RuntimeProfilerOptions { Interval = interval };
        foreach (IRuntimeMetricsSink sink in sinks)
        {
            options.Sinks.Add(sink ?? throw new ArgumentException("A sink is null.", sinksName));
        }

        if (options.Sinks.Count == 0)
        {
            throw new ArgumentException("At least one sink is required.", sinksName);
        }

        if (interval < MinimumInterval || interval > MaximumInterval)
        {
            throw new ArgumentOutOfRangeException(intervalName, interval, $"The interval must be between {MinimumInterval.TotalMilliseconds} ms and {MaximumInterval.TotalDays} day.");
        }

        return options;
    }

    private Task BeginDispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        return StopAsync();
    }

    private void Release()
    {
        // A run's stop ended the delivery threads it used; this ends one that a tick outside any run started (a
        // test ticks the profiler directly), so nothing of the profiler's outlives its disposal.
        foreach (SinkLane lane in _lanes)
        {
            lane.StopDelivery();
        }

        _sampler.Dispose();
    }

    private void OnSinkFailed(SinkLane lane, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return;
        }

        Interlocked.Increment(ref _sinkErrors);
        RuntimeProfilerEventSource.Log.SinkFailed(lane.Sink, exception);
        if (_onSinkError is { } callback)
        {
            try
            {
                callback(lane.Sink, exception);
            }
#pragma warning disable CA1031 // Isolation: the user's callback must not take the sink's thread down.
            catch (Exception callbackException)
#pragma warning restore CA1031
            {
                RuntimeProfilerEventSource.Log.CallbackFailed(callbackException);
            }
        }
    }
}
