namespace RuntimeProfiling.Samples.Worker;

/// <summary>Stands in for the service's real work: it allocates, keeps some of it for a while, and lets it go.</summary>
internal sealed class AllocatingWorker : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var kept = new Queue<byte[]>();
        while (!stoppingToken.IsCancellationRequested)
        {
            for (int i = 0; i < 5_000; i++)
            {
                kept.Enqueue(new byte[512]);
                if (kept.Count > 100_000)
                {
                    kept.Dequeue();
                }
            }

            try
            {
                await Task.Delay(100, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
