namespace RuntimeProfiling.Tests;

/// <summary>Collections running in the background for lifecycle tests, driven by allocation as in a busy app.</summary>
/// <remarks>
/// Forced collections back to back are not used: on a 2-core machine they suspend the other threads almost
/// all the time, so the finalizer thread and the test itself barely run and such a test takes many minutes.
/// </remarks>
internal static class AllocationLoad
{
    /// <summary>Allocates short-lived arrays until <paramref name="cancellationToken"/> is cancelled: hundreds of generation 0 collections a second.</summary>
    public static Task Run(CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                for (int i = 0; i < 1000; i++)
                {
                    GC.KeepAlive(new byte[1024]);
                }
            }
        },
        CancellationToken.None);
}
