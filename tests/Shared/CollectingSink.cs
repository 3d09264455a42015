using System.Collections.Concurrent;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>A sink that copies out what each snapshot held, and lets a test await the n-th sample.</summary>
internal sealed class CollectingSink : IRuntimeMetricsSink
{
    private readonly ConcurrentQueue<CollectedSample> _samples = new();
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyList<CollectedSample> Samples => [.. _samples];

    public int Count => _samples.Count;

    public int ConcurrentCalls { get; private set; }

    private int _inside;

    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _inside) > 1)
        {
            ConcurrentCalls++;
        }

        _samples.Enqueue(CollectedSample.From(snapshot));
        Interlocked.Decrement(ref _inside);
        lock (_lock)
        {
            foreach ((int count, TaskCompletionSource done) in _waiters)
            {
                if (_samples.Count >= count)
                {
                    done.TrySetResult();
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Completes when at least <paramref name="count"/> samples arrived; fails the test after a generous real-time limit.</summary>
    public Task WaitForAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_samples.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, done));
        }

        return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
