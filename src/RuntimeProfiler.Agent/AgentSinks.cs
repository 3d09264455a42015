using RuntimeProfiling.Collection;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Json;

namespace RuntimeProfiling.Agent;

/// <summary>The sinks the settings ask for, and what they hold (files, sockets) to close once the profiler has stopped.</summary>
internal sealed class AgentSinks : IDisposable
{
    private readonly List<IDisposable> _resources = [];

    private AgentSinks()
    {
    }

    public List<IRuntimeMetricsSink> Sinks { get; } = [];

    /// <summary>Opens the sinks.</summary>
    /// <param name="settings">Valid settings.</param>
    /// <param name="processId">Replaces <c>{pid}</c> in a file path.</param>
    /// <exception cref="IOException">A file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be opened.</exception>
    public static AgentSinks Open(AgentSettings settings, int processId)
    {
        var sinks = new AgentSinks();
        try
        {
            if (settings.Format is { } format)
            {
                sinks.Sinks.Add(sinks.OpenConsole(settings, format, processId));
            }

            return sinks;
        }
        catch
        {
            sinks.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        for (int i = _resources.Count - 1; i >= 0; i--)
        {
            _resources[i].Dispose();
        }

        _resources.Clear();
    }

    private IRuntimeMetricsSink OpenConsole(AgentSettings settings, AgentFormat format, int processId)
    {
        TextWriter writer;
        switch (settings.Output)
        {
            case AgentSettings.StandardOutput:
                writer = System.Console.Out;
                break;
            case AgentSettings.StandardError:
                writer = System.Console.Error;
                break;
            default:
                // Appended, and shared for reading: a tail -f or a log shipper may follow the file.
                string path = settings.Output.Replace("{pid}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                _resources.Add(stream);
                if (format == AgentFormat.Json)
                {
                    return new JsonLinesSink(stream, new JsonLinesSinkOptions { Naming = settings.Naming });
                }

                // Disposed in reverse order: the writer flushes into the stream before the stream closes.
                var fileWriter = new StreamWriter(stream);
                _resources.Add(fileWriter);
                writer = fileWriter;
                break;
        }

        return format == AgentFormat.Json
            ? new JsonLinesSink(writer, new JsonLinesSinkOptions { Naming = settings.Naming })
            : new ConsoleSink(writer, new ConsoleSinkOptions { Naming = settings.Naming });
    }
}
