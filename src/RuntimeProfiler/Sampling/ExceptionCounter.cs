using System.Runtime.ExceptionServices;

namespace RuntimeProfiling.Sampling;

/// <summary>
/// Counts first-chance exceptions while started. The count survives a stop and a restart, so deltas stay
/// right; exceptions thrown while stopped are not counted, and no handler of ours stays on the event.
/// </summary>
internal sealed class ExceptionCounter
{
    private readonly Lock _lock = new();
    private long _count;
    private bool _subscribed;

    public long Count => Interlocked.Read(ref _count);

    public void Start()
    {
        lock (_lock)
        {
            if (!_subscribed)
            {
                AppDomain.CurrentDomain.FirstChanceException += OnFirstChanceException;
                _subscribed = true;
            }
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            if (_subscribed)
            {
                AppDomain.CurrentDomain.FirstChanceException -= OnFirstChanceException;
                _subscribed = false;
            }
        }
    }

    private void OnFirstChanceException(object? sender, FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref _count);
}
