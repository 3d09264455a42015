namespace RuntimeProfiling.Sinks.Meter;

/// <summary>Settings of a <see cref="MeterSink"/>.</summary>
public sealed class MeterSinkOptions
{
    /// <summary>Gets or sets the factory the meter is created from, so a dependency-injection container owns and disposes it.</summary>
    /// <value>The default is <see langword="null"/>: the sink creates the meter itself and disposes it with the sink.</value>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>
    /// Gets or sets how old the latest sample may be when a listener observes the instruments: an older one (or
    /// none, when no profiler feeds the sink) makes the sink read a fresh sample first, so observers always see
    /// current figures, with or without a profiler's interval loop.
    /// </summary>
    /// <value>The default is 1 second. <see cref="TimeSpan.Zero"/> samples at every observation; <see cref="Timeout.InfiniteTimeSpan"/> never samples on its own.</value>
    public TimeSpan MaximumSampleAge { get; set; } = TimeSpan.FromSeconds(1);
}
