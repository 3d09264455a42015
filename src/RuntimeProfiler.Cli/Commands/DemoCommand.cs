using System.CommandLine;
using RuntimeProfiling.Collection;

namespace RuntimeProfiling.Cli.Commands;

/// <summary><c>runtime-profiler demo</c>: a built-in workload, profiled in-process, every sample printed.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        Option<TimeSpan> interval = CommonOptions.Interval();
        Option<TimeSpan> duration = new("--duration")
        {
            Description = "How long the demo runs: 30s, 2m or hh:mm:ss; 0 runs until Ctrl+C.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
            CustomParser = result => CommonOptions.ParseDuration(result, TimeSpan.Zero, TimeSpan.FromDays(365)),
        };
        var sinks = new SinkOptions();

        var command = new Command("demo", "Run a built-in workload (allocation in every generation and the large object heap, thread-pool work, lock contention, exceptions, timers) and print every sample the profiler takes of it.")
        {
            interval,
            duration,
        };
        sinks.AddTo(command);
        command.SetAction((parsed, cancellationToken) => RunAsync(
            sinks.Build(parsed, output, error, parsed.GetValue(interval)),
            parsed.GetValue(interval),
            parsed.GetValue(duration),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(SinkSet sinks, TimeSpan interval, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using (sinks.ConfigureAwait(false))
        {
            var options = new RuntimeProfilerOptions { Interval = interval };
            foreach (IRuntimeMetricsSink sink in sinks.Sinks)
            {
                options.Sinks.Add(sink);
            }

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
        }

        return 0;
    }
}
