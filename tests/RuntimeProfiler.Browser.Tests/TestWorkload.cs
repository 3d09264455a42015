namespace RuntimeProfiling.Browser.Tests;

/// <summary>Keeps the test process busy enough for every chart to move: allocation in every generation, a contended lock, exceptions.</summary>
internal sealed class TestWorkload : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly Lock _lock = new();

    public TestWorkload()
    {
        _workers = [Task.Run(AllocateAsync), Task.Run(ContendAsync), Task.Run(ContendAsync)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }

    private async Task AllocateAsync()
    {
        var survivors = new List<byte[]>();
        int round = 0;
        while (!_stop.IsCancellationRequested)
        {
            for (int i = 0; i < 200; i++)
            {
                survivors.Add(new byte[4096]);
            }

            // Large objects go to the LOH; survivors age into gen1 and gen2 until they are let go.
            survivors.Add(new byte[100_000]);
            if (++round % 20 == 0)
            {
                survivors.Clear();
            }

            try
            {
                throw new InvalidOperationException("a thrown exception, for the exceptions chart");
            }
            catch (InvalidOperationException)
            {
                // Thrown to be counted.
            }

            await Task.Delay(20);
        }
    }

    private async Task ContendAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            lock (_lock)
            {
                Thread.SpinWait(20_000);
            }

            await Task.Yield();
        }
    }
}
