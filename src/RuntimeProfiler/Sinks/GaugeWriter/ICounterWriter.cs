namespace RuntimeProfiling.Sinks.GaugeWriter;

/// <summary>
/// Optionally implemented by an <see cref="IGaugeWriter"/> that also takes counters: under
/// <see cref="Model.MetricNaming.OpenTelemetry"/> naming, counters then arrive here as the change since the
/// previous sample instead of as a gauge of their running total.
/// </summary>
public interface ICounterWriter
{
    /// <summary>Records how much a counter grew since the previous sample.</summary>
    /// <param name="name">The counter's name; attributes are folded into it (<c>dotnet.gc.collections.gen0</c>).</param>
    /// <param name="delta">The change, in the counter's unit; never negative.</param>
    public void Counter(string name, double delta);
}
