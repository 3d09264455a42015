namespace RuntimeProfiling.Collection;

/// <summary>
/// Implemented by built-in sinks that keep counts of their own (dropped lines, failed sends, ...): the
/// profiler copies those counts into every sample, so they travel as figures of the catalog like any other.
/// </summary>
/// <remarks>
/// Several sinks of one kind share their figures: on each sample the profiler first calls
/// <see cref="ResetHealth"/> on every reporter, then <see cref="WriteHealth"/>, so each can add its counts.
/// </remarks>
internal interface ISinkHealthReporter
{
    /// <summary>Sets this kind of sink's health figures to their starting point (usually 0) before any reporter writes; called on the sampling thread.</summary>
    public void ResetHealth(Span<double> values)
    {
    }

    /// <summary>Writes this sink's health figures into a sample's values; called on the sampling thread, so reads must be thread-safe.</summary>
    public void WriteHealth(Span<double> values);
}
