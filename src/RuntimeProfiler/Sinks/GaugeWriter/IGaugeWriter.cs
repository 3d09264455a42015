namespace RuntimeProfiling.Sinks.GaugeWriter;

/// <summary>
/// The plug point of the original Go profiler: an object that takes one named value at a time.
/// Plug one in with <see cref="GaugeWriterSink"/>.
/// </summary>
public interface IGaugeWriter
{
    /// <summary>Records the current value of a figure.</summary>
    /// <param name="name">The figure's name; attributes are folded into it (<c>dotnet.gc.collections.gen0</c>).</param>
    /// <param name="value">The value, in the figure's unit.</param>
    public void Gauge(string name, double value);
}
