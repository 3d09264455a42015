using System.Diagnostics;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>The process a live page shows, for its header: name, id, runtime, GC mode and start time. Read once.</summary>
internal sealed class ProcessDescription
{
    public ProcessDescription(string name, int id, string? runtime, string? gcMode, DateTimeOffset? startedAt)
    {
        Name = name;
        Id = id;
        Runtime = runtime;
        GcMode = gcMode;
        StartedAt = startedAt;
    }

    public string Name { get; }

    public int Id { get; }

    /// <summary>Gets the runtime's description (<c>.NET 10.0.0</c>), or <see langword="null"/> when unknown (a process read from outside).</summary>
    public string? Runtime { get; }

    /// <summary>Gets the garbage collector's flavour and mode (<c>Workstation, concurrent</c>), or <see langword="null"/> when unknown.</summary>
    public string? GcMode { get; }

    public DateTimeOffset? StartedAt { get; }

    /// <summary>Describes this process: its entry assembly's name (not <c>dotnet</c> for an app started as <c>dotnet app.dll</c>).</summary>
    public static ProcessDescription Current()
    {
        DateTimeOffset? started = null;
        try
        {
#pragma warning disable RS0030 // Process is banned for its per-read cost; this reads the start time once, when a page is created.
            using var process = Process.GetCurrentProcess();
            started = process.StartTime.ToUniversalTime();
#pragma warning restore RS0030
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            // Some sandboxes hide the start time: the header then shows no uptime.
        }

        string name = Assembly.GetEntryAssembly()?.GetName().Name ?? Path.GetFileNameWithoutExtension(Environment.ProcessPath) ?? "dotnet";
        string flavour = GCSettings.IsServerGC ? "Server" : "Workstation";
        string mode = GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent";
        return new ProcessDescription(name, Environment.ProcessId, RuntimeInformation.FrameworkDescription, $"{flavour}, {mode}", started);
    }
}
