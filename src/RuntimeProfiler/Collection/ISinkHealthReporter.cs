namespace RuntimeProfiling.Collection;

/// <summary>
/// Implemented by built-in sinks that keep counts of their own (dropped lines, failed sends, ...): the
/// profiler copies those counts into every sample, so they travel as figures of the catalog like any other.
/// </summary>
internal interface ISinkHealthReporter
{
    /// <summary>Writes this sink's health figures into a sample's values; called on the sampling thread, so reads must be thread-safe.</summary>
    public void WriteHealth(Span<double> values);
}
