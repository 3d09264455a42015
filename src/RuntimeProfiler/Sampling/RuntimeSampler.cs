using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>
/// Reads every figure of the catalog into a snapshot. Reads are serialized by a lock (one takes a few
/// microseconds), so a profiler loop and a scrape endpoint may share an instance.
/// </summary>
/// <remarks>
/// <see cref="Start"/> opens what reads need (the <c>/proc/self/stat</c> handle, the exception and assembly
/// event handlers, the capture of every GC pause) and <see cref="Stop"/> releases all of it; a stopped sampler can start again, and its
/// running totals carry on where they were.
/// </remarks>
internal sealed class RuntimeSampler : ISampleSource
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly GcSampler _gc = new();
    private readonly GcPauseCapture _pauses;
    private readonly ProcessStatSampler _processStat;
    private readonly ExceptionCounter _exceptions = new();
    private AssemblyCounter? _assemblies;
    private int _lastAssemblyCount = -1;

    public RuntimeSampler(TimeProvider timeProvider)
        : this(timeProvider, new ProcessStatSampler())
    {
    }

    internal RuntimeSampler(TimeProvider timeProvider, ProcessStatSampler processStat, GcPauseCapture? pauses = null)
    {
        _timeProvider = timeProvider;
        _processStat = processStat;
        _pauses = pauses ?? new GcPauseCapture(timeProvider);
    }

    internal GcSampler Gc => _gc;

    internal GcPauseCapture Pauses => _pauses;

    internal ProcessStatSampler ProcessStat => _processStat;

    public void Start()
    {
        lock (_lock)
        {
            _processStat.Open();
            _pauses.Start();
            _exceptions.Start();
            _assemblies ??= new AssemblyCounter();
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _processStat.Dispose();
            _pauses.Stop();
            _exceptions.Stop();
            if (_assemblies is not null)
            {
                _lastAssemblyCount = _assemblies.Count;
                _assemblies.Dispose();
                _assemblies = null;
            }
        }
    }

    /// <summary>
    /// Reads every runtime figure into <paramref name="target"/>'s values; the pause ratio uses
    /// <paramref name="previous"/> when given. Deltas are left to the caller.
    /// </summary>
    /// <returns>The time the read took, by the sampler's clock.</returns>
    public TimeSpan Read(RuntimeSnapshot target, RuntimeSnapshot? previous)
    {
        lock (_lock)
        {
            long started = _timeProvider.GetTimestamp();
            DateTimeOffset now = _timeProvider.GetUtcNow();
            Span<double> values = target.Values;

            bool counted = _pauses.PollAndWriteTo(target, out LatestCollection latest);
            _gc.Read(values, latest, counted);
            CpuSampler.Read(values);
            _processStat.Read(values);
            ThreadPoolSampler.Read(values);
            JitSampler.Read(values);
            int assemblies = _assemblies?.Count ?? _lastAssemblyCount;
            values[(int)MetricId.AssemblyCount] = assemblies < 0 ? double.NaN : assemblies;
            values[(int)MetricId.Exceptions] = _exceptions.Count;
            values[(int)MetricId.GcPauseRatio] = double.NaN;

            target.Timestamp = now;
            target.MonotonicTimestamp = started;
            if (previous is not null && previous.Timestamp != default)
            {
                double wall = _timeProvider.GetElapsedTime(previous.MonotonicTimestamp, started).TotalSeconds;
                double paused = values[(int)MetricId.GcPauseTime] - previous.Values[(int)MetricId.GcPauseTime];
                if (wall > 0 && paused >= 0)
                {
                    values[(int)MetricId.GcPauseRatio] = Math.Min(1.0, paused / wall);
                }
            }

            return _timeProvider.GetElapsedTime(started);
        }
    }

    public void Dispose() => Stop();
}
