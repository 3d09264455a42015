using System.Collections;
using System.Net;
using System.Runtime.Loader;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Agent;

/// <summary>
/// The profiler inside an app started with the startup hook. Settings are read and outputs opened before the
/// app's <c>Main</c>, so a bad setting is reported at once; the profiler itself starts on a thread of its own,
/// so the app does not wait for the profiler's first sample (and the JIT compiling it). At exit it stops with a
/// final flush, bounded by <see cref="ExitWait"/>.
/// </summary>
internal sealed class ProfilerAgent : IDisposable
{
    /// <summary>How long the app's exit may wait for the profiler to finish starting, and then for the final sample to reach the sinks.</summary>
    public static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

    // The one agent of the process, kept reachable for as long as the process runs.
    private static ProfilerAgent? s_current;

    private readonly AgentSettings _settings;
    private readonly AgentSinks _sinks;
    private readonly Thread _starting;
    private readonly Lock _lock = new();
    private RuntimeProfiler? _profiler;
    private PrometheusEndpoint? _endpoint;
    private bool _stopped;
    private int _disposed;

    private ProfilerAgent(AgentSettings settings, AgentSinks sinks)
    {
        _settings = settings;
        _sinks = sinks;
        _starting = new Thread(static state => ((ProfilerAgent)state!).StartProfiler())
        {
            IsBackground = true,
            Name = "RuntimeProfiler start",
        };
    }

    /// <summary>Called by the startup hook, through reflection, from the hook's load context.</summary>
    /// <returns><see langword="null"/> when the profiler is starting; otherwise why not, for a one-line message.</returns>
    public static string? Start()
    {
        if (s_current is not null)
        {
            return null;
        }

        if (!AgentSettings.TryParse(ReadEnvironment(), out AgentSettings? settings, out string error))
        {
            return error + "; the app runs unprofiled";
        }

        AgentSinks? sinks = null;
        try
        {
            sinks = AgentSinks.Open(settings, Environment.ProcessId);
            var agent = new ProfilerAgent(settings, sinks);
            sinks = null;
            s_current = agent;
            AppDomain.CurrentDomain.ProcessExit += agent.OnExit;
            AssemblyLoadContext.Default.Unloading += agent.OnUnloading;
            agent._starting.Start(agent);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"{AgentVariables.Output}: cannot open '{settings.Output}' ({e.Message}); the app runs unprofiled";
        }
        finally
        {
            sinks?.Dispose();
        }
    }

    /// <summary>Stops as at exit: waits for a start in progress, then one last sample for the sinks, each bounded by <see cref="ExitWait"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            // A short-lived app may exit while the profiler is still starting: let it start (bounded), so the
            // final sample still reaches the sinks, and keep a start that overran from starting afterwards.
            _starting.Join(ExitWait);
            RuntimeProfiler? profiler;
            PrometheusEndpoint? endpoint;
            lock (_lock)
            {
                _stopped = true;
                profiler = _profiler;
                endpoint = _endpoint;
            }

            // The endpoint stops first: its viewers and scrapers are cut off at once, and it holds no sample to flush.
            if (endpoint is not null && !endpoint.DisposeAsync().AsTask().Wait(ExitWait))
            {
                WriteError("the /metrics endpoint did not stop in time");
            }

            // StopAsync never faults and is bounded by StopTimeout once the sampling thread is out; the outer
            // bound covers a sample that is itself stuck, whose sink is then left open to the process's end.
            if (profiler is not null && !profiler.StopAsync().Wait(ExitWait + ExitWait))
            {
                return;
            }

            profiler?.Dispose();
            _sinks.Dispose();
        }
#pragma warning disable CA1031 // This runs in the app's exit: nothing may escape into it, whatever the sinks' files or sockets do.
        catch (Exception e)
#pragma warning restore CA1031
        {
            WriteError($"closing the profiler's output failed ({e.GetType().Name}: {e.Message})");
        }
    }

    private static Dictionary<string, string> ReadEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return variables;
    }

    private static void WriteError(string message)
    {
        try
        {
            Console.Error.WriteLine("runtime-profiler: " + message);
        }
        catch (IOException)
        {
            // stderr is closed: nothing is left to tell.
        }
    }

    private void StartProfiler()
    {
        PrometheusEndpoint? endpoint = null;
        RuntimeProfiler? profiler = null;
        try
        {
            endpoint = _settings.Endpoint is { } address ? StartEndpoint(address) : null;

            // An app that asked for the endpoint alone needs no profiler: the endpoint samples by itself.
            List<IRuntimeMetricsSink> sinks = _sinks.CreateSinks();
            if (sinks.Count > 0)
            {
                // The app's own exit must not wait on more than one last sample: that flush is bounded by StopTimeout.
                var options = new RuntimeProfilerOptions { Interval = _settings.Interval, StopTimeout = ExitWait };
                foreach (IRuntimeMetricsSink sink in sinks)
                {
                    options.Sinks.Add(sink);
                }

                profiler = new RuntimeProfiler(options);
            }

            lock (_lock)
            {
                if (_stopped)
                {
                    return;
                }

                _profiler = profiler;
                _endpoint = endpoint;
                profiler = null;
                endpoint = null;
                _profiler?.Start();
            }
        }
#pragma warning disable CA1031 // A thread of the app's process: an exception escaping it would end the app.
        catch (Exception e)
#pragma warning restore CA1031
        {
            WriteError($"the profiler could not start ({e.GetType().Name}: {e.Message}); the app runs unprofiled");
        }
        finally
        {
            // Whatever was built but not handed over (the app is exiting, or the start failed) is released here.
            profiler?.Dispose();
            endpoint?.Dispose();
        }
    }

    /// <summary>Starts the app's /metrics endpoint and live page; a port that cannot be bound costs the endpoint only, not the profiler.</summary>
    private PrometheusEndpoint? StartEndpoint(IPEndPoint address)
    {
        var options = new PrometheusEndpointOptions
        {
            Address = address.Address,
            Port = address.Port,
            Naming = _settings.Naming,
            Page = new LivePageOptions { Interval = AgentSettings.PageInterval(_settings.Interval) },
        };
        var endpoint = new PrometheusEndpoint(options);
        try
        {
            endpoint.Start();
        }
        catch (IOException e)
        {
            endpoint.Dispose();
            WriteError(e.Message + "; the app runs without it");
            return null;
        }

        if (_settings.AnnouncePage)
        {
            WriteError($"live page at http://{endpoint.LocalEndPoint}/");
        }

        return endpoint;
    }

    private void OnExit(object? sender, EventArgs e) => Dispose();

    private void OnUnloading(AssemblyLoadContext context) => Dispose();
}
