using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>
/// A sample source fed by a profiler: as a sink it keeps the latest sample it receives, and as a source it hands
/// that sample out again. It lets a pull endpoint (Prometheus) serve figures the profiler read from somewhere
/// other than this process, such as another process read over EventPipe by the CLI's <c>attach</c>.
/// </summary>
/// <remarks>Thread-safe: samples arrive on the profiler's sink thread, reads come from scrapes.</remarks>
internal sealed class DeliveredSampleSource : ISampleSource, IRuntimeMetricsSink
{
    private readonly Lock _lock = new();
    private readonly RuntimeSnapshot _latest = new();
    private bool _hasSample;

    /// <summary>Gets or sets what to call after each sample is kept, on the profiler's sink thread: a live page reads it then.</summary>
    public Action? Delivered { get; set; }

    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            _latest.CopyFrom(snapshot);
            _hasSample = true;
        }

        Delivered?.Invoke();
        return ValueTask.CompletedTask;
    }

    public void Start()
    {
    }

    public void Stop()
    {
    }

    public TimeSpan Read(RuntimeSnapshot target, RuntimeSnapshot? previous)
    {
        lock (_lock)
        {
            if (_hasSample)
            {
                target.CopyFrom(_latest);
            }
            else
            {
                target.Clear();
            }
        }

        return TimeSpan.Zero;
    }

    public void Dispose()
    {
    }
}
