using System.CommandLine;
using System.Net;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.Cli.Commands;

/// <summary>
/// The options that choose where samples go, shared by every command that samples (<c>demo</c>, <c>run</c>,
/// <c>attach</c>), and the code that turns them into sinks. Each sink adds its flags here, in its own section.
/// </summary>
internal sealed class SinkOptions
{
    public Option<string> Format { get; } = CommonOptions.Format();

    public Option<string> Names { get; } = CommonOptions.Names();

    // Prometheus: a standalone /metrics endpoint, up for the command's lifetime.
    public Option<IPEndPoint?> Prometheus { get; } = new("--prometheus")
    {
        Description = "Serve the figures to Prometheus at http://HOST:PORT/metrics while the command runs; 127.0.0.1:9464 when no address is given. Listens on every interface only when told (0.0.0.0:9464).",
        HelpName = "HOST:PORT",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (PrometheusAddressParser.TryParse(text, out IPEndPoint endPoint, out string error))
            {
                return endPoint;
            }

            result.AddError($"--prometheus: {error}");
            return null;
        },
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(Names);
        command.Options.Add(Prometheus);
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

        // Prometheus: the endpoint samples at scrape time by itself, so it is a resource of the command, not a sink.
        if (parsed.GetValue(Prometheus) is { } address)
        {
            var endpoint = new PrometheusEndpoint(new PrometheusEndpointOptions { Address = address.Address, Port = address.Port, Naming = naming });
            try
            {
                endpoint.Start();
            }
            catch (IOException e)
            {
                endpoint.Dispose();
                set.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw new CliException(e.Message, CliApp.Failure);
            }

            set.Resources.Add(endpoint);
        }

        return set;
    }
}
