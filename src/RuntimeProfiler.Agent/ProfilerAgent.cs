using System.Collections;
using System.Runtime.Loader;
using RuntimeProfiling.Collection;

namespace RuntimeProfiling.Agent;

/// <summary>
/// The profiler inside an app started with the startup hook: reads the settings, opens the sinks, starts
/// sampling, and stops with a final flush when the process exits, waiting at most <see cref="ExitWait"/>.
/// </summary>
internal sealed class ProfilerAgent : IDisposable
{
    /// <summary>How long the app's exit may wait for the final sample to reach the sinks.</summary>
    public static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

    // The one agent of the process, kept reachable for as long as the process runs.
    private static ProfilerAgent? s_current;

    private readonly RuntimeProfiler _profiler;
    private readonly AgentSinks _sinks;
    private int _stopped;

    private ProfilerAgent(RuntimeProfiler profiler, AgentSinks sinks)
    {
        _profiler = profiler;
        _sinks = sinks;
    }

    /// <summary>Called by the startup hook, through reflection, from the hook's load context.</summary>
    /// <returns><see langword="null"/> when the profiler runs; otherwise why not, for a one-line message.</returns>
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
        RuntimeProfiler? profiler = null;
        try
        {
            sinks = AgentSinks.Open(settings, Environment.ProcessId);

            // The app's own exit must not wait on more than one last sample: that flush is bounded by StopTimeout.
            var options = new RuntimeProfilerOptions { Interval = settings.Interval, StopTimeout = ExitWait };
            foreach (IRuntimeMetricsSink sink in sinks.Sinks)
            {
                options.Sinks.Add(sink);
            }

            profiler = new RuntimeProfiler(options);
            var agent = new ProfilerAgent(profiler, sinks);
            (profiler, sinks) = (null, null);
            AppDomain.CurrentDomain.ProcessExit += agent.OnExit;
            AssemblyLoadContext.Default.Unloading += agent.OnUnloading;
            s_current = agent;
            agent._profiler.Start();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"{AgentVariables.Output}: cannot open '{settings.Output}' ({e.Message}); the app runs unprofiled";
        }
        finally
        {
            profiler?.Dispose();
            sinks?.Dispose();
        }
    }

    private void OnExit(object? sender, EventArgs e) => Dispose();

    private void OnUnloading(AssemblyLoadContext context) => Dispose();

    private static Dictionary<string, string> ReadEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return variables;
    }

    /// <summary>Stops as at exit: one last sample for the sinks, waited for at most twice <see cref="ExitWait"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            // StopAsync never faults and is bounded by StopTimeout once the sampling thread is out; the outer
            // bound covers a sample that is itself stuck.
            if (_profiler.StopAsync().Wait(ExitWait + ExitWait))
            {
                _sinks.Dispose();
            }
        }
#pragma warning disable CA1031 // This runs in the app's exit: nothing may escape into it, whatever the sinks' files or sockets do.
        catch (Exception e)
#pragma warning restore CA1031
        {
            try
            {
                Console.Error.WriteLine($"runtime-profiler: closing the profiler's output failed ({e.GetType().Name}: {e.Message})");
            }
            catch (IOException)
            {
                // stderr is closed too: nothing is left to tell.
            }
        }
    }
}
