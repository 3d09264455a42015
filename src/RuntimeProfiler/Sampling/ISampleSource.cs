using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>
/// Where a profiler's figures come from: the process itself (<see cref="RuntimeSampler"/>) or another process
/// read from outside (the CLI's <c>attach</c>). The profiler's loop calls it from its sampling thread only.
/// </summary>
internal interface ISampleSource : IDisposable
{
    /// <summary>Opens what reads need. Called when the profiler starts, and again after a stop.</summary>
    public void Start();

    /// <summary>Releases what <see cref="Start"/> opened; running totals carry on across a restart.</summary>
    public void Stop();

    /// <summary>
    /// Writes every runtime figure of the catalog into <paramref name="target"/> (NaN where the source has none)
    /// and its timestamps; the profiler's own figures are left to the profiler. Must not allocate.
    /// </summary>
    /// <param name="target">The snapshot to fill.</param>
    /// <param name="previous">The previous sample, for figures over the interval; <see langword="null"/> for the baseline.</param>
    /// <returns>The time the read took.</returns>
    public TimeSpan Read(RuntimeSnapshot target, RuntimeSnapshot? previous);
}
