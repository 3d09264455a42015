namespace RuntimeProfiling.Sinks.Meter;

/// <summary>Settings of a <see cref="MeterSink"/>.</summary>
public sealed class MeterSinkOptions
{
    /// <summary>Gets or sets the factory the meter is created from, so a dependency-injection container owns and disposes it.</summary>
    /// <value>The default is <see langword="null"/>: the sink creates the meter itself and disposes it with the sink.</value>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }
}
