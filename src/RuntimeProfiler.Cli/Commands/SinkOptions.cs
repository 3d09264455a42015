using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using RuntimeProfiling.Agent;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.Prometheus.Page;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Cli.Commands;

/// <summary>
/// The options that choose where samples go, shared by every command that samples (<c>demo</c>, <c>run</c>,
/// <c>attach</c>), and the code that turns them into sinks (<see cref="Build"/>) or, for <c>run</c>, into the
/// <c>RUNTIMEPROFILER_*</c> variables of the profiled app (<see cref="AddEnvironment"/>). Each sink adds its
/// flags here, in its own section, and to both.
/// </summary>
internal sealed class SinkOptions
{
    public Option<string> Format { get; } = CommonOptions.Format();

    public Option<string> Names { get; } = CommonOptions.Names();

    // Console and JSON Lines: where they are written.
    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "Write the table or JSON Lines to this file (appended) instead of stdout; 'stdout' and 'stderr' name the streams. For run the default is the app's stderr, so its stdout stays its own.",
        HelpName = "path",
    };

    // Prometheus: a standalone /metrics endpoint, up for the command's lifetime.
    public Option<IPEndPoint?> Prometheus { get; } = new("--prometheus")
    {
        Description = "Serve the figures to Prometheus at http://HOST:PORT/metrics while the command runs; 127.0.0.1:9464 when no address is given. Listens on every interface only when told (0.0.0.0:9464).",
        HelpName = "HOST:PORT",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result => ParseAddress(result, "--prometheus"),
    };

    // The live page: served by the same endpoint as /metrics, which it starts when --prometheus did not.
    public Option<IPEndPoint?> Ui { get; } = new("--ui")
    {
        Description = "Serve the live page (charts of the figures, updated on every sample) at http://HOST:PORT/ and print its address; it is served by the /metrics endpoint, started here if --prometheus did not. 127.0.0.1:9464 unless an address is given, here or to --prometheus.",
        HelpName = "HOST:PORT",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result => ParseAddress(result, "--ui"),
    };

    // StatsD: every sample to udp://host:8125 or unix:///path/to/socket, in the dialect --dialect names.
    public Option<Uri?> StatsD { get; } = new("--statsd")
    {
        Description = "Also send every sample to a StatsD server: udp://host:8125 or unix:///path/to/dsd.socket.",
        HelpName = "url",
        CustomParser = ParseStatsDUrl,
    };

    public Option<string> Dialect { get; } = new Option<string>("--dialect")
    {
        Description = "StatsD dialect: etsy (plain StatsD, attributes in the name), dogstatsd (|#tags, pauses as |d) or telegraf (name,tag=value).",
        DefaultValueFactory = _ => "etsy",
    }.AcceptOnlyFromAmong("etsy", "dogstatsd", "telegraf");

    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(Names);
        command.Options.Add(Output);
        command.Options.Add(Prometheus);
        command.Options.Add(Ui);
        command.Options.Add(StatsD);
        command.Options.Add(Dialect);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Dialect) is { Implicit: false } && result.GetValue(StatsD) is null)
            {
                result.AddError("--dialect needs --statsd");
            }
        });
    }

    /// <summary>The address of the endpoint that --prometheus and --ui ask for, or <see langword="null"/> when neither does.</summary>
    /// <exception cref="CliException">Both name an address, and not the same one.</exception>
    public IPEndPoint? EndpointAddress(ParseResult parsed)
    {
        IPEndPoint? prometheus = parsed.GetValue(Prometheus);
        IPEndPoint? ui = parsed.GetValue(Ui);
        bool prometheusNamed = parsed.GetResult(Prometheus)?.Tokens.Count > 0;
        bool uiNamed = parsed.GetResult(Ui)?.Tokens.Count > 0;
        if (prometheusNamed && uiNamed && !prometheus!.Equals(ui))
        {
            throw new CliException($"--ui {ui} and --prometheus {prometheus} name different addresses: the page is served by the /metrics endpoint, give the address once", CliApp.UsageError);
        }

        return uiNamed ? ui : prometheus ?? ui;
    }

    /// <summary>Builds the sinks the parsed flags ask for; everything they hold is released when the returned set is disposed.</summary>
    /// <param name="parsed">The parsed command line.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="samplesThisProcess">
    /// Whether the profiler samples the CLI's own process (<c>demo</c>). When it reads another process (<c>attach</c>),
    /// the Prometheus endpoint serves the samples the profiler delivers instead of reading this process at scrape time.
    /// </param>
    /// <param name="interval">The command's interval: the live page samples (or, for another process, moves) at it.</param>
    /// <param name="process">The process another process's page shows in its header; <see langword="null"/> for this process.</param>
    /// <exception cref="CliException">The output file cannot be opened, the endpoint cannot listen, or the StatsD URL is invalid (exit code 2).</exception>
    public SinkSet Build(ParseResult parsed, TextWriter output, TextWriter error, TimeSpan interval, bool samplesThisProcess = true, ProcessDescription? process = null)
    {
        MetricNaming naming = CommonOptions.ToNaming(parsed.GetValue(Names) ?? "otel");
        var set = new SinkSet();

        // Console or JSON Lines: always on, on stdout unless --output says otherwise.
        TextWriter writer = parsed.GetValue(Output) switch
        {
            null or AgentSettings.StandardOutput => output,
            AgentSettings.StandardError => error,
            { } path => OpenFile(set, path),
        };
        set.Sinks.Add((parsed.GetValue(Format) ?? "table") == "json"
            ? new JsonLinesSink(writer, new JsonLinesSinkOptions { Naming = naming })
            : new ConsoleSink(writer, new ConsoleSinkOptions { Naming = naming }));

        // Prometheus: for this process, the endpoint samples at scrape time by itself (a resource of the command, not
        // a sink); for another process, it serves what the profiler delivers to it.
        if (EndpointAddress(parsed) is { } address)
        {
#pragma warning disable CA2000 // The endpoint reads from the source for its whole life; the source holds nothing to release.
            DeliveredSampleSource? delivered = samplesThisProcess ? null : new DeliveredSampleSource();
#pragma warning restore CA2000
            var options = new PrometheusEndpointOptions
            {
                Address = address.Address,
                Port = address.Port,
                Naming = naming,
                Page = new LivePageOptions { Interval = AgentSettings.PageInterval(interval) },
            };
            var endpoint = new PrometheusEndpoint(options, TimeProvider.System, delivered, process);
            if (delivered is not null)
            {
                set.Sinks.Add(delivered);
            }

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
            if (parsed.GetResult(Ui) is not null)
            {
                error.WriteLine($"runtime-profiler: live page at {PageUrl(endpoint.LocalEndPoint ?? address)}");
            }
        }

        // StatsD: a sink of its own, its socket closed with the set.
        if (parsed.GetValue(StatsD) is { } url)
        {
            StatsDSink statsd = CreateStatsD(url, parsed.GetValue(Dialect) ?? "etsy", naming);
            set.Sinks.Add(statsd);
            set.Resources.Add(statsd);
        }

        return set;
    }

    /// <summary>The page's address as a browser takes it: <c>http://127.0.0.1:9464/</c>, <c>http://[::1]:9464/</c>.</summary>
    internal static string PageUrl(IPEndPoint endPoint) => $"http://{endPoint}/";

    private static IPEndPoint? ParseAddress(System.CommandLine.Parsing.ArgumentResult result, string option)
    {
        string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (EndpointAddressParser.TryParse(text, out IPEndPoint endPoint, out string error))
        {
            return endPoint;
        }

        result.AddError($"{option}: {error}");
        return null;
    }

    /// <summary>Adds the variables that make the startup hook build the same sinks inside the app <c>run</c> starts.</summary>
    /// <exception cref="CliException">The StatsD URL is invalid (exit code 2).</exception>
    public void AddEnvironment(ParseResult parsed, IDictionary<string, string?> environment)
    {
        environment[AgentVariables.Names] = parsed.GetValue(Names) ?? "otel";

        // Console or JSON Lines: always on, on the app's stderr unless --output says otherwise.
        environment[AgentVariables.Format] = parsed.GetValue(Format) ?? "table";
        environment[AgentVariables.Output] = parsed.GetValue(Output) switch
        {
            null => AgentSettings.StandardError,
            AgentSettings.StandardOutput or AgentSettings.StandardError => parsed.GetValue(Output),
            { } path => Path.GetFullPath(path),
        };

        // StatsD: checked in full here (a bad URL is exit code 2 before the app starts), then handed to the hook.
        if (parsed.GetValue(StatsD) is { } url)
        {
            string dialect = parsed.GetValue(Dialect) ?? "etsy";
            CreateStatsD(url, dialect, MetricNaming.OpenTelemetry).Dispose();
            environment[AgentVariables.StatsD] = url.OriginalString;
            environment[AgentVariables.StatsDDialect] = dialect;
        }

        // The endpoint and its page live inside the app: the agent starts them, and announces the page for --ui.
        if (EndpointAddress(parsed) is { } address)
        {
            environment[parsed.GetResult(Ui) is not null ? AgentVariables.Ui : AgentVariables.Prometheus] = address.ToString();
        }
    }

    private static StatsDSink CreateStatsD(Uri url, string dialect, MetricNaming naming)
    {
        var options = new StatsDSinkOptions
        {
            Url = url,
            Naming = naming,
            Dialect = dialect switch
            {
                "dogstatsd" => StatsDDialect.DogStatsD,
                "telegraf" => StatsDDialect.Telegraf,
                _ => StatsDDialect.Etsy,
            },
        };
        try
        {
            return new StatsDSink(options);
        }
        catch (ArgumentException e)
        {
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new CliException($"--statsd: {message}", CliApp.UsageError);
        }
    }

    private static Uri? ParseStatsDUrl(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out Uri? url))
        {
            return url;
        }

        result.AddError($"--statsd: '{text}' is not a URL; use udp://host:8125 or unix:///path/to/socket");
        return null;
    }

    private static StreamWriter OpenFile(SinkSet set, string path)
    {
        try
        {
            var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete));
            set.Resources.Add(writer);
            return writer;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"--output: cannot open '{path}' ({e.Message})", CliApp.UsageError);
        }
    }
}
