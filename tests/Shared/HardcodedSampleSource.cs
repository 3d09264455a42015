using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>A sample source that serves the values a test sets, as the CLI's attach serves another process's.</summary>
internal sealed class HardcodedSampleSource : ISampleSource
{
    private readonly double[] _values = new double[(int)MetricId.ProfilerSampleDuration];
    private readonly TimeProvider _timeProvider;

    public HardcodedSampleSource(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        Array.Fill(_values, double.NaN);
    }

    public int Starts { get; private set; }

    public int Stops { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>Gets or sets what each read runs first, on the reading thread (a test holds a read in flight with it).</summary>
    public Action? Reading { get; set; }

    public void Set(MetricId id, double value) => Volatile.Write(ref _values[(int)id], value);

    public void Start() => Starts++;

    public void Stop() => Stops++;

    public TimeSpan Read(RuntimeSnapshot target, RuntimeSnapshot? previous)
    {
        Reading?.Invoke();
        _values.CopyTo(target.Values);
        target.Timestamp = _timeProvider.GetUtcNow();
        target.MonotonicTimestamp = _timeProvider.GetTimestamp();
        return TimeSpan.Zero;
    }

    public void Dispose() => Disposed = true;
}
