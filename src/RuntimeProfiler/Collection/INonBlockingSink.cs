namespace RuntimeProfiling.Collection;

/// <summary>
/// A built-in sink whose write never waits: no I/O that can block, no lock held by anyone for longer than a copy,
/// and anything slow (a first name lookup) completes asynchronously. The profiler delivers to such a sink on the
/// sampling thread instead of a delivery thread of its own, which saves a thread wake-up per sample (about 47 µs
/// of CPU on the machine of <c>docs/benchmarks.md</c>). Internal: a sink of the application's keeps its thread,
/// because only our own code can be held to this.
/// </summary>
internal interface INonBlockingSink : IRuntimeMetricsSink
{
}
