// The library used directly, as the original Go profiler was: a profiler, an interval, and writers plugged in.
// Run: dotnet run --project samples/Console
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Samples.Console;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.GaugeWriter;

var options = new RuntimeProfilerOptions { Interval = TimeSpan.FromSeconds(2) };
options.Sinks.Add(new ConsoleSink());

// The original's plug point: anything with Gauge(name, value), here fed the original Go names.
options.Sinks.Add(new GaugeWriterSink(new PrintingGaugeWriter(Console.Error), MetricNaming.Original));
options.OnSinkError = (sink, error) => Console.Error.WriteLine($"{sink.GetType().Name} failed: {error.Message}");

await using var profiler = new RuntimeProfiler(options);
profiler.Start();

// Some work to watch: allocation that survives long enough to be promoted, then is dropped.
var kept = new List<byte[]>();
for (int round = 0; round < 30; round++)
{
    for (int i = 0; i < 20_000; i++)
    {
        kept.Add(new byte[256]);
    }

    if (kept.Count > 200_000)
    {
        kept.Clear();
    }

    await Task.Delay(200);
}

await profiler.StopAsync();
