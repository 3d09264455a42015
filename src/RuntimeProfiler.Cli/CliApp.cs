using System.CommandLine;
using RuntimeProfiling.Cli.Commands;

namespace RuntimeProfiling.Cli;

/// <summary>The command line: builds the commands and runs one, mapping every failure to a one-line message and an exit code.</summary>
internal static class CliApp
{
    /// <summary>Bad usage: an unknown flag, a bad value or a missing argument.</summary>
    public const int UsageError = 2;

    /// <summary>The command ran and failed.</summary>
    public const int Failure = 1;

    public static RootCommand BuildRootCommand(TextWriter output, TextWriter error, bool handleProcessSignals)
    {
        var root = new RootCommand("runtime-profiler: sample a .NET process's runtime (GC, heap, allocation, CPU, memory, thread pool, locks, JIT) and ship the figures to the console, JSON, StatsD or Prometheus.");
        root.Subcommands.Add(DemoCommand.Create(output, error));
        root.Subcommands.Add(RunCommand.Create(error, handleProcessSignals));
        root.Subcommands.Add(AttachCommand.Create(output, error));
        root.Subcommands.Add(PsCommand.Create(output));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool handleProcessSignals, CancellationToken cancellationToken = default)
    {
        RootCommand root = BuildRootCommand(output, error, handleProcessSignals);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await error.WriteLineAsync($"runtime-profiler: {OneLine(parsed.Errors[0].Message)} (see runtime-profiler --help)").ConfigureAwait(false);
            return UsageError;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,

            // Ctrl+C and SIGTERM cancel the command's token; it stops after the sample in flight. `run` handles
            // them itself: it passes them to the app and waits for the app's exit, however long that takes.
            ProcessTerminationTimeout = handleProcessSignals && !RunCommand.IsInvoked(parsed) ? TimeSpan.FromSeconds(10) : null,
        };

        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await error.WriteLineAsync($"runtime-profiler: {OneLine(e.Message)}").ConfigureAwait(false);
            return e.ExitCode;
        }
    }

    /// <summary>Folds a multi-line message (System.CommandLine lists allowed values on lines of their own) into one line.</summary>
    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
