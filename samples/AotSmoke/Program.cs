// A native-AOT build of the core library, sampling for real: CI publishes it and runs it, so a change that
// breaks trimming or AOT in the core fails there, not in a user's build.
// Run: dotnet publish samples/AotSmoke -c Release -r linux-x64 && artifacts/publish/AotSmoke/release_linux-x64/RuntimeProfiler.Samples.AotSmoke
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Sinks.Meter;

using var stdout = Console.OpenStandardOutput();
var options = new RuntimeProfilerOptions { Interval = TimeSpan.FromMilliseconds(50) };
options.Sinks.Add(new JsonLinesSink(stdout, new JsonLinesSinkOptions { Naming = MetricNaming.Original }));
using var meter = new MeterSink();
options.Sinks.Add(meter);

await using (var profiler = new RuntimeProfiler(options))
{
    profiler.Start();
    var kept = new List<byte[]>();
    for (int i = 0; i < 200_000; i++)
    {
        kept.Add(new byte[128]);
    }

    await Task.Delay(200);
    GC.KeepAlive(kept);
}

return 0;
