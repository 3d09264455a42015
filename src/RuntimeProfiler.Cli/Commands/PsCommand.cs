using System.CommandLine;
using System.Globalization;
using RuntimeProfiling.Cli.Attach;

namespace RuntimeProfiling.Cli.Commands;

/// <summary><c>runtime-profiler ps</c>: the .NET processes <c>attach</c> can read, live ones only.</summary>
internal static class PsCommand
{
    private const int CommandLineWidth = 100;

    public static Command Create(TextWriter output)
    {
        var command = new Command("ps", "List the running .NET processes that attach can read: those with a live diagnostic socket in the temp folder.");
        command.SetAction(async (_, cancellationToken) =>
        {
            IReadOnlyList<TargetProcess> processes = DiagnosticSockets.FindAttachable();
            if (processes.Count == 0)
            {
                await output.WriteLineAsync($"no .NET process to attach to (no live diagnostic socket in {DiagnosticSockets.Folder})").ConfigureAwait(false);
                return 0;
            }

            int nameWidth = Math.Max(4, processes.Max(p => p.Name.Length));
            await output.WriteLineAsync($"{"PID",7}  {"NAME".PadRight(nameWidth)}  COMMAND").ConfigureAwait(false);
            foreach (TargetProcess process in processes)
            {
                string commandLine = process.CommandLine.Length > CommandLineWidth ? string.Concat(process.CommandLine.AsSpan(0, CommandLineWidth - 1), "…") : process.CommandLine;
                await output.WriteLineAsync($"{process.Id.ToString(CultureInfo.InvariantCulture),7}  {process.Name.PadRight(nameWidth)}  {commandLine}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
