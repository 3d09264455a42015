using System.CommandLine;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Json;

namespace RuntimeProfiling.Cli.Commands;

/// <summary>
/// The options that choose where samples go, shared by every command that samples (<c>demo</c>, <c>run</c>,
/// <c>attach</c>), and the code that turns them into sinks. Each sink adds its flags here, in its own section.
/// </summary>
internal sealed class SinkOptions
{
    public Option<string> Format { get; } = CommonOptions.Format();

    public Option<string> Names { get; } = CommonOptions.Names();

    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(Names);
    }

    /// <summary>Builds the sinks the parsed flags ask for; everything they hold is released when the returned set is disposed.</summary>
    public SinkSet Build(ParseResult parsed, TextWriter output)
    {
        MetricNaming naming = CommonOptions.ToNaming(parsed.GetValue(Names) ?? "otel");
        var set = new SinkSet();

        // Console or JSON Lines on stdout: always on, as the table or JSON the user sees.
        set.Sinks.Add((parsed.GetValue(Format) ?? "table") == "json"
            ? new JsonLinesSink(output, new JsonLinesSinkOptions { Naming = naming })
            : new ConsoleSink(output, new ConsoleSinkOptions { Naming = naming }));

        return set;
    }
}
