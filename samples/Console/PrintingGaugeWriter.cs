using System.Globalization;
using RuntimeProfiling.Sinks.GaugeWriter;

namespace RuntimeProfiling.Samples.Console;

/// <summary>A gauge writer in the original's shape that prints each figure on one line.</summary>
internal sealed class PrintingGaugeWriter(TextWriter output) : IGaugeWriter
{
    public void Gauge(string name, double value) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gauge {name} {value}"));
}
