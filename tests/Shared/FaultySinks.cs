using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>A sink that throws on every write.</summary>
internal sealed class ThrowingSink : IRuntimeMetricsSink
{
    public int Calls => Volatile.Read(ref _calls);

    private int _calls;

    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        throw new InvalidOperationException("This sink always fails.");
    }
}

/// <summary>A sink whose writes block their thread until released, the way a stuck synchronous sink would.</summary>
internal sealed class BlockingSink : IRuntimeMetricsSink, IDisposable
{
    private readonly ManualResetEventSlim _release = new(false);
    private readonly SemaphoreSlim _entered = new(0);

    public int Calls => Volatile.Read(ref _calls);

    private int _calls;

    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        _entered.Release();
        _release.Wait(TimeSpan.FromSeconds(60), CancellationToken.None);
        return ValueTask.CompletedTask;
    }

    public Task WaitEnteredAsync() => _entered.WaitAsync(TimeSpan.FromSeconds(30));

    public void Release() => _release.Set();

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
        _entered.Dispose();
    }
}

/// <summary>A sink whose writes never complete unless cancelled: an asynchronous hang.</summary>
internal sealed class HangingSink : IRuntimeMetricsSink
{
    public int Calls => Volatile.Read(ref _calls);

    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    /// <summary>Gets a task that completes when a write saw its cancellation token fire.</summary>
    public Task Cancelled => _cancelled.Task;

    public async ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _cancelled.TrySetResult();
            throw;
        }
    }
}
