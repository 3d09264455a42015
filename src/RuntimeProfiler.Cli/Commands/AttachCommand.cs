using System.CommandLine;
using Microsoft.Diagnostics.NETCore.Client;
using RuntimeProfiling.Cli.Attach;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Cli.Commands;

/// <summary>
/// <c>runtime-profiler attach --pid N</c>: reads a running .NET process's <c>System.Runtime</c> meter over
/// EventPipe and ships it through the same sinks as the in-process profiler, until Ctrl+C, <c>--duration</c>,
/// or the target's exit.
/// </summary>
internal static class AttachCommand
{
    /// <summary>The exit code when the target exits while attached; the samples up to its exit were written.</summary>
    public const int TargetExited = 3;

    /// <summary>How long a target may take to list its instruments once the session is open: the runtime does it at once.</summary>
    private static readonly TimeSpan s_enumerationTimeout = TimeSpan.FromSeconds(10);

    public static Command Create(TextWriter output, TextWriter error)
    {
        Option<int> pid = new("--pid", "-p")
        {
            Description = "The id of the .NET process to read (see runtime-profiler ps).",
            Required = true,
        };
        pid.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError("--pid: a process id is a positive number");
            }
        });
        Option<TimeSpan> interval = CommonOptions.Interval();
        Option<TimeSpan> duration = new("--duration")
        {
            Description = "How long to read: 30s, 2m or hh:mm:ss; 0 (the default) reads until Ctrl+C or until the process exits.",
            DefaultValueFactory = _ => TimeSpan.Zero,
            CustomParser = result => CommonOptions.ParseDuration(result, TimeSpan.Zero, TimeSpan.FromDays(365)),
        };
        var sinks = new SinkOptions();
        var command = new Command("attach", "Read a running .NET 9+ process's runtime figures from outside (over EventPipe, as dotnet-counters does) and ship them to the same sinks; some figures exist only in-process (see docs/run-and-attach.md).")
        {
            pid,
            interval,
            duration,
        };
        sinks.AddTo(command);
        command.SetAction((parsed, cancellationToken) => RunAsync(
            parsed.GetValue(pid),
            parsed.GetValue(interval),
            parsed.GetValue(duration),
            process => sinks.Build(parsed, output, error, parsed.GetValue(interval), samplesThisProcess: false, process),
            error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int pid, TimeSpan interval, TimeSpan duration, Func<ProcessDescription, SinkSet> buildSinks, TextWriter error, CancellationToken cancellationToken)
    {
        TargetProcess target = TargetProcess.Find(pid) ?? throw new CliException($"no process has id {pid}");
        EventPipeSampleSource? source = Connect(target, interval);
        try
        {
            await WaitUntilPublishingAsync(source, target, interval, cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }

            await using SinkSet sinks = buildSinks(target.Describe());
            var options = new RuntimeProfilerOptions { Interval = interval };
            foreach (IRuntimeMetricsSink sink in sinks.Sinks)
            {
                options.Sinks.Add(sink);
            }

            // The profiler owns the source from here: it disposes it, after the final sample.
            EventPipeSampleSource owned = source;
            source = null;
            string? ended;
            await using (var profiler = new RuntimeProfiler(options, TimeProvider.System, owned))
            {
                profiler.Start();
                ended = await WaitForEndAsync(owned, duration, cancellationToken).ConfigureAwait(false);
                await profiler.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return await ReportEndAsync(target, ended, error).ConfigureAwait(false);
        }
        finally
        {
            source?.Dispose();
        }
    }

    private static async Task<int> ReportEndAsync(TargetProcess target, string? ended, TextWriter error)
    {
        switch (ended)
        {
            case null:
                return 0;
            case "":
                await error.WriteLineAsync($"runtime-profiler: process {target} exited; its samples up to then were written").ConfigureAwait(false);
                return TargetExited;
            default:
                await error.WriteLineAsync($"runtime-profiler: process {target}: {ended}").ConfigureAwait(false);
                return CliApp.Failure;
        }
    }

    private static EventPipeSampleSource Connect(TargetProcess target, TimeSpan interval)
    {
        try
        {
            return EventPipeSampleSource.Attach(target.Id, interval, TimeProvider.System);
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnauthorizedAccessException or DiagnosticsClientException or IOException or TimeoutException)
        {
            throw new CliException(Explain(target, e));
        }
    }

    /// <summary>Turns a failure to open the session into what the user can do about it.</summary>
    private static string Explain(TargetProcess target, Exception e)
    {
        if (TargetProcess.Find(target.Id) is null)
        {
            return $"process {target} exited before it could be read";
        }

        long? self = TargetProcess.CurrentUserId;
        if (e is UnauthorizedAccessException || (target.OwnerId is { } owner && self is { } me && me != 0 && owner != me))
        {
            return $"process {target} belongs to another user: attach as that user (or as root)";
        }

        if (!DiagnosticSockets.IsAttachable(target.Id))
        {
            return $"process {target} has no diagnostic socket in {DiagnosticSockets.Folder}: it is not a .NET process, it runs with DOTNET_EnableDiagnostics=0, or its TMPDIR differs from this one's";
        }

        return $"process {target} refused the connection: {CliApp.OneLine(e.Message)}";
    }

    private static async Task WaitUntilPublishingAsync(EventPipeSampleSource source, TargetProcess target, TimeSpan interval, CancellationToken cancellationToken)
    {
        Task<int> enumerated = source.InstrumentsEnumerated;
        await Task.WhenAny(enumerated, source.Ended, Task.Delay(s_enumerationTimeout, cancellationToken)).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        if (source.Ended.IsCompleted && !enumerated.IsCompletedSuccessfully)
        {
            throw new CliException(await source.Ended.ConfigureAwait(false) is { } failure ? $"process {target}: {failure}" : $"process {target} exited while attaching");
        }

        if (!enumerated.IsCompleted || await enumerated.ConfigureAwait(false) == 0)
        {
            throw new CliException($"process {target} publishes no System.Runtime meter: attach needs a process on .NET 9 or later (use runtime-profiler run, or the startup hook, for others)");
        }

        // The first sample should hold figures: wait for the target's first publication (one interval).
        await Task.WhenAny(source.FirstPublication, source.Ended, Task.Delay(interval + s_enumerationTimeout, cancellationToken)).ConfigureAwait(false);
        if (source.Ended.IsCompleted && !source.FirstPublication.IsCompleted)
        {
            throw new CliException(await source.Ended.ConfigureAwait(false) is { } failure ? $"process {target}: {failure}" : $"process {target} exited while attaching");
        }
    }

    /// <summary>Waits for Ctrl+C, the duration, or the end of the session.</summary>
    /// <returns><see langword="null"/> when the user ended it, an empty string when the target exited, otherwise the failure.</returns>
    private static async Task<string?> WaitForEndAsync(EventPipeSampleSource source, TimeSpan duration, CancellationToken cancellationToken)
    {
        Task elapsed = Task.Delay(duration == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : duration, cancellationToken);
        Task done = await Task.WhenAny(source.Ended, elapsed).ConfigureAwait(false);
        return done == source.Ended ? await source.Ended.ConfigureAwait(false) ?? string.Empty : null;
    }
}
