using RuntimeProfiling.Model;

namespace RuntimeProfiling.Collection;

/// <summary>Receives every sample the profiler takes.</summary>
/// <remarks>
/// The profiler calls <see cref="WriteAsync"/> on a thread it keeps for that sink (never the thread pool's), never
/// twice at once for the same sink, with the samples in the order taken. At intervals under 100 ms samples come in
/// batches, up to 100 ms after they were taken, so the thread is woken once per batch rather than per sample. One
/// sample more than a batch may wait while the sink writes; a sink still busy when that is full skips the next
/// samples, and the following sample's counter deltas cover the skipped ones, so nothing is lost. Exceptions may propagate: the profiler catches, counts and
/// reports them, and they never reach the application.
/// </remarks>
public interface IRuntimeMetricsSink
{
    /// <summary>Writes one sample.</summary>
    /// <param name="snapshot">The sample; valid only until the returned task completes.</param>
    /// <param name="cancellationToken">Cancelled when the profiler stops and gives up waiting for the sink.</param>
    /// <returns>A task that completes when the sink is done with <paramref name="snapshot"/>.</returns>
    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken);
}
