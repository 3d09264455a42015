namespace RuntimeProfiling.Benchmarks;

/// <summary>Threads that only wait, started until the process has a given number of threads, and ended on dispose.</summary>
internal sealed class IdleThreads : IDisposable
{
    private readonly List<Thread> _threads = [];
    private readonly ManualResetEventSlim _release = new(false);

    /// <param name="total">The process's thread count to reach, counted from <c>/proc/self/task</c>.</param>
    public IdleThreads(int total)
    {
        for (int i = Directory.GetDirectories("/proc/self/task").Length; i < total; i++)
        {
            var thread = new Thread(() => _release.Wait(), maxStackSize: 64 * 1024) { IsBackground = true };
            thread.Start();
            _threads.Add(thread);
        }
    }

    public void Dispose()
    {
        _release.Set();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _release.Dispose();
    }
}
