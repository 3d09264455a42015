using System.CommandLine;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Json;

namespace RuntimeProfiling.Cli.Commands;

/// <summary><c>runtime-profiler demo</c>: a built-in workload, profiled in-process, every sample printed.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output)
    {
        Option<TimeSpan> interval = CommonOptions.Interval();
        Option<TimeSpan> duration = new("--duration")
        {
            Description = "How long the demo runs: 30s, 2m or hh:mm:ss; 0 runs until Ctrl+C.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
            CustomParser = result => CommonOptions.ParseDuration(result, TimeSpan.Zero, TimeSpan.FromDays(365)),
        };
        Option<string> format = CommonOptions.Format();
        Option<string> names = CommonOptions.Names();

        var command = new Command("demo", "Run a built-in workload (allocation in every generation and the large object heap, thread-pool work, lock contention, exceptions, timers) and print every sample the profiler takes of it.")
        {
            interval,
            duration,
            format,
            names,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            output,
            parsed.GetValue(interval),
            parsed.GetValue(duration),
            parsed.GetValue(format) ?? "table",
            CommonOptions.ToNaming(parsed.GetValue(names) ?? "otel"),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(TextWriter output, TimeSpan interval, TimeSpan duration, string format, MetricNaming naming, CancellationToken cancellationToken)
    {
        IRuntimeMetricsSink sink = format == "json"
            ? new JsonLinesSink(output, new JsonLinesSinkOptions { Naming = naming })
            : new ConsoleSink(output, new ConsoleSinkOptions { Naming = naming });

        var options = new RuntimeProfilerOptions { Interval = interval };
        options.Sinks.Add(sink);

        await using var workload = new DemoWorkload();
        await using var profiler = new RuntimeProfiler(options);
        workload.Start();
        profiler.Start();
        try
        {
            await Task.Delay(duration == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : duration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: stop cleanly below, after the sample in flight.
        }

        await profiler.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }
}
