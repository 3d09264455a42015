using System.Collections;
using System.CommandLine;
using System.Globalization;
using RuntimeProfiling.Agent;
using RuntimeProfiling.Cli.Run;

namespace RuntimeProfiling.Cli.Commands;

/// <summary>
/// <c>runtime-profiler run [options] -- command [args...]</c>: starts a .NET app with the profiler loaded inside it
/// through the startup hook, configured by <c>RUNTIMEPROFILER_*</c> variables set for that app only, and returns
/// its exit code.
/// </summary>
internal static class RunCommand
{
    public const string Name = "run";

    private static readonly string[] s_sdkCommands = ["run", "watch", "test"];

    public static Command Create(TextWriter error, bool handleProcessSignals)
    {
        Option<TimeSpan> interval = CommonOptions.Interval();
        var sinks = new SinkOptions();
        var target = new Argument<string[]>("command")
        {
            Description = "The app and its arguments, after --: for example -- dotnet app.dll, or -- ./MyService --port 8080.",
            Arity = ArgumentArity.OneOrMore,
        };

        var command = new Command(Name, "Run a .NET app with the profiler inside it (through the runtime's startup hooks): its stdin, stdout, stderr, signals and exit code pass through; samples go to its stderr, or to --output.")
        {
            interval,
            target,
        };
        sinks.AddTo(command);
        command.SetAction((parsed, cancellationToken) =>
        {
            string[] commandLine = parsed.GetValue(target) ?? [];
            var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [AgentVariables.Interval] = parsed.GetValue(interval).TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms",
            };
            sinks.AddEnvironment(parsed, variables);
            return RunAsync(commandLine, variables, error, handleProcessSignals, cancellationToken);
        });
        return command;
    }

    /// <summary>Whether the parsed command line runs <c>run</c>, which handles Ctrl+C and SIGTERM itself: it passes them to the app.</summary>
    public static bool IsInvoked(ParseResult parsed) => string.Equals(parsed.CommandResult.Command.Name, Name, StringComparison.Ordinal);

    private static async Task<int> RunAsync(string[] commandLine, Dictionary<string, string?> variables, TextWriter error, bool handleProcessSignals, CancellationToken cancellationToken)
    {
        if (commandLine.Length > 1 && string.Equals(Path.GetFileNameWithoutExtension(commandLine[0]), "dotnet", StringComparison.Ordinal) && s_sdkCommands.Contains(commandLine[1], StringComparer.Ordinal))
        {
            throw new CliException(
                $"'dotnet {commandLine[1]}' would profile the .NET SDK, not your app: build it, then run the app itself (runtime-profiler run -- dotnet path/to/App.dll, or its own executable)",
                CliApp.UsageError);
        }

        string hook = StartupHookFiles.Find();
        string? existingHooks = Environment.GetEnvironmentVariable(AgentVariables.StartupHooks);
        variables[AgentVariables.StartupHooks] = string.IsNullOrEmpty(existingHooks) ? hook : existingHooks + Path.PathSeparator + hook;

        // The app gets the CLI's environment plus these: check the whole of it now, as the hook will.
        Dictionary<string, string> childEnvironment = CurrentEnvironment();
        foreach ((string name, string? value) in variables)
        {
            childEnvironment[name] = value ?? string.Empty;
        }

        childEnvironment.Remove(AgentVariables.StatusFile);
        if (!AgentSettings.TryParse(childEnvironment, out _, out string invalid))
        {
            throw new CliException(invalid, CliApp.UsageError);
        }

        using SignalForwarder? forwarder = handleProcessSignals ? new SignalForwarder() : null;
        var process = new ProfiledProcess(commandLine, variables, error);
        return await process.RunAsync(forwarder, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string> CurrentEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return environment;
    }
}
