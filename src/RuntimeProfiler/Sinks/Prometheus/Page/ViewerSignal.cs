using System.Threading.Tasks.Sources;

namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>
/// Wakes one streaming viewer when the history has something new for it: an auto-reset event with one waiter,
/// reused for the viewer's whole life, so waiting for a sample allocates nothing. The waiter's continuation runs
/// on the thread that sets the signal, after its locks are released (it only copies a few frames and starts a send).
/// </summary>
internal sealed class ViewerSignal : IValueTaskSource
{
    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<bool> _core;
    private bool _set;
    private bool _waiting;

    /// <summary>Completes when <see cref="Set"/> is called, at once if it was called since the last wait.</summary>
    public ValueTask WaitAsync()
    {
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return ValueTask.CompletedTask;
            }

            _core.Reset();
            _waiting = true;
            return new ValueTask(this, _core.Version);
        }
    }

    public void Set()
    {
        bool complete;
        lock (_lock)
        {
            complete = _waiting;
            _waiting = false;
            _set = !complete;
        }

        if (complete)
        {
            _core.SetResult(true);
        }
    }

    /// <summary>Forgets a signal nobody waited for, before the signal serves another viewer.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _set = false;
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
