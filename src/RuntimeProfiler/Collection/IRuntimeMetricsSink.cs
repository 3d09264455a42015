using RuntimeProfiling.Model;

namespace RuntimeProfiling.Collection;

/// <summary>Receives every sample the profiler takes.</summary>
/// <remarks>
/// The profiler calls <see cref="WriteAsync"/> on a thread it keeps for that sink (never the thread pool's), never
/// twice at once for the same sink; a sink still busy when the next sample is ready skips it, and the following sample's counter
/// deltas cover the skipped one, so nothing is lost. Exceptions may propagate: the profiler catches,
/// counts and reports them, and they never reach the application.
/// </remarks>
public interface IRuntimeMetricsSink
{
    /// <summary>Writes one sample.</summary>
    /// <param name="snapshot">The sample; valid only until the returned task completes.</param>
    /// <param name="cancellationToken">Cancelled when the profiler stops and gives up waiting for the sink.</param>
    /// <returns>A task that completes when the sink is done with <paramref name="snapshot"/>.</returns>
    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken);
}
