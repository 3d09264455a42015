namespace RuntimeProfiling.Tests;

/// <summary>
/// Asserts that code allocates nothing once warm. Allocation is exact per thread
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), so the figure is asserted outright; but a GC in the measured
/// window makes the sampler read <c>GCMemoryInfo</c> (288 B), so such a window is measured again, and any window
/// without one must show 0 B. Callers run in <see cref="SerialTestGroup"/>, so other tests' collections do not land
/// in every window.
/// </summary>
internal static class Allocations
{
    private const int WarmUps = 20;
    private const int Attempts = 50;

    /// <summary>Runs <paramref name="action"/> warm and asserts that it allocates nothing; <paramref name="between"/> runs before each call, unmeasured.</summary>
    public static void AssertNone(Action action, Action? between = null)
    {
        for (int i = 0; i < WarmUps; i++)
        {
            action();
            between?.Invoke();
        }

        long lastAllocated = -1;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            between?.Invoke();
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            lastAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (GC.CollectionCount(0) == collections)
            {
                Assert.Equal(0, lastAllocated);
                return;
            }
        }

        Assert.Fail($"Every one of {Attempts} windows saw a GC; last one allocated {lastAllocated} B.");
    }
}
