namespace RuntimeProfiling.Cli;

/// <summary>
/// The built-in workload of <c>runtime-profiler demo</c>: allocation that reaches every generation and the
/// large object heap, thread-pool bursts, lock contention, exceptions and timers, at a pace that leaves
/// the machine usable.
/// </summary>
internal sealed class DemoWorkload : IAsyncDisposable
{
    private const int Survivors = 20_000;
    private const int LargeSurvivors = 16;
    private const int LargeObjectBytes = 128 * 1024;

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly List<Timer> _timers = [];
    private readonly Lock _contended = new();
    private long _operations;

    public long Operations => Interlocked.Read(ref _operations);

    public void Start()
    {
        CancellationToken token = _stop.Token;
        _tasks.Add(Task.Run(() => AllocateAsync(token), token));
        _tasks.Add(Task.Run(() => BurstThreadPoolAsync(token), token));
        _tasks.Add(Task.Run(() => ContendAsync(token), token));
        _tasks.Add(Task.Run(() => ContendAsync(token), token));
        _tasks.Add(Task.Run(() => ThrowAsync(token), token));
        for (int i = 0; i < 4; i++)
        {
            _timers.Add(new Timer(static state => ((DemoWorkload)state!).Tick(), this, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (Timer timer in _timers)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The workload's tasks end by cancellation; that is their normal way out.
        }

        _stop.Dispose();
    }

    private static void Spin(int iterations)
    {
        double x = 1;
        for (int i = 0; i < iterations; i++)
        {
            x = Math.Sqrt(x + i);
        }

        GC.KeepAlive(x);
    }

    private void Tick() => Interlocked.Increment(ref _operations);

    private async Task AllocateAsync(CancellationToken token)
    {
        var random = new Random(42);
        var survivors = new object[Survivors];
        var large = new byte[LargeSurvivors][];
        long iteration = 0;
        while (!token.IsCancellationRequested)
        {
            // Most objects die young (gen0); a rolling set survives long enough to reach gen1 and gen2,
            // and large arrays go to the large object heap.
            for (int i = 0; i < 2_000; i++)
            {
                var item = new byte[random.Next(16, 2_048)];
                if (random.Next(64) == 0)
                {
                    survivors[random.Next(Survivors)] = item;
                }
            }

            if (++iteration % 16 == 0)
            {
                large[random.Next(LargeSurvivors)] = new byte[LargeObjectBytes + random.Next(64 * 1024)];
            }

            Interlocked.Increment(ref _operations);
            await Task.Delay(4, token).ConfigureAwait(false);
        }
    }

    private static async Task BurstThreadPoolAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            for (int i = 0; i < 32; i++)
            {
                ThreadPool.QueueUserWorkItem(static _ => Spin(2_000), null);
            }

            await Task.Delay(20, token).ConfigureAwait(false);
        }
    }

    private async Task ContendAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            for (int i = 0; i < 50; i++)
            {
                lock (_contended)
                {
                    Spin(500);
                }
            }

            await Task.Delay(5, token).ConfigureAwait(false);
        }
    }

    private async Task ThrowAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                throw new InvalidOperationException("A demo exception, thrown and caught on purpose.");
            }
            catch (InvalidOperationException)
            {
                Interlocked.Increment(ref _operations);
            }

            await Task.Delay(50, token).ConfigureAwait(false);
        }
    }
}
