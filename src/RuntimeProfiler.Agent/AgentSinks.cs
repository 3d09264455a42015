using RuntimeProfiling.Collection;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Agent;

/// <summary>
/// The sinks the settings ask for, and what they hold (files, sockets) to close once the profiler has stopped.
/// Outputs are opened by <see cref="Open"/>, before the app starts, so a path that cannot be opened is reported
/// at once; the sinks themselves (whose formatters render the whole catalog) are built by <see cref="CreateSinks"/>,
/// off the app's startup path.
/// </summary>
internal sealed class AgentSinks : IDisposable
{
    private readonly List<IDisposable> _resources = [];
    private readonly AgentSettings _settings;
    private TextWriter? _writer;
    private Stream? _stream;

    private AgentSinks(AgentSettings settings)
    {
        _settings = settings;
    }

    /// <summary>Opens the outputs.</summary>
    /// <param name="settings">Valid settings.</param>
    /// <param name="processId">Replaces <c>{pid}</c> in a file path.</param>
    /// <exception cref="IOException">A file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be opened.</exception>
    public static AgentSinks Open(AgentSettings settings, int processId)
    {
        var sinks = new AgentSinks(settings);
        switch (settings.Output)
        {
            case AgentSettings.StandardOutput:
                sinks._writer = System.Console.Out;
                break;
            case AgentSettings.StandardError:
                sinks._writer = System.Console.Error;
                break;
            default:
                // Appended, and shared for reading: a tail -f or a log shipper may follow the file.
                string path = settings.Output.Replace("{pid}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                sinks._stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                sinks._resources.Add(sinks._stream);
                break;
        }

        return sinks;
    }

    /// <summary>Builds the sinks over the opened outputs. Called once.</summary>
    /// <exception cref="ArgumentException">The StatsD URL is not one the sink can send to.</exception>
    public List<IRuntimeMetricsSink> CreateSinks()
    {
        var sinks = new List<IRuntimeMetricsSink>();
        if (_settings.Format is { } format)
        {
            sinks.Add(CreateConsole(format));
        }

        if (_settings.StatsD is { } url)
        {
            // Its socket is opened on the first sample and closed with the other resources, after the profiler stopped.
            var statsd = new StatsDSink(new StatsDSinkOptions { Url = url, Dialect = _settings.StatsDDialect, Naming = _settings.Naming });
            _resources.Add(statsd);
            sinks.Add(statsd);
        }

        return sinks;
    }

    public void Dispose()
    {
        for (int i = _resources.Count - 1; i >= 0; i--)
        {
            _resources[i].Dispose();
        }

        _resources.Clear();
    }

    private IRuntimeMetricsSink CreateConsole(AgentFormat format)
    {
        TextWriter? writer = _writer;
        if (_stream is not null)
        {
            if (format == AgentFormat.Json)
            {
                return new JsonLinesSink(_stream, new JsonLinesSinkOptions { Naming = _settings.Naming });
            }

            // Disposed in reverse order: the writer flushes into the stream before the stream closes.
            var fileWriter = new StreamWriter(_stream);
            _resources.Add(fileWriter);
            writer = fileWriter;
        }

        return format == AgentFormat.Json
            ? new JsonLinesSink(writer!, new JsonLinesSinkOptions { Naming = _settings.Naming })
            : new ConsoleSink(writer!, new ConsoleSinkOptions { Naming = _settings.Naming });
    }
}
