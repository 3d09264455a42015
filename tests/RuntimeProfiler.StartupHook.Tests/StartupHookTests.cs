using System.Net;
using System.Net.Sockets;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.StartupHook.Tests;

/// <summary>The startup hook on its own, as in a container: DOTNET_STARTUP_HOOKS and RUNTIMEPROFILER_* variables, no CLI.</summary>
public sealed class StartupHookTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("startup-hook-").FullName;

    [Fact]
    public async Task The_Hook_Alone_Ships_The_Apps_Own_Figures()
    {
        string template = Path.Combine(_folder, "samples-{pid}.jsonl");
        await using ChildProcess app = StartWithHook(["gc", "2", "1", "11"], new()
        {
            ["RUNTIMEPROFILER_INTERVAL"] = "100ms",
            ["RUNTIMEPROFILER_FORMAT"] = "json",
            ["RUNTIMEPROFILER_OUTPUT"] = template,
        });

        Assert.Equal(0, await app.WaitForExitAsync());
        string[] output = app.Output.Split('\n');
        Assert.Equal($"sample: pid {app.Id}", output[0]);
        Assert.Equal("sample: a line on stderr", app.Error);

        // The file is named after the app's pid, and its last sample (the flush at exit) holds the app's counts.
        string[] lines = File.ReadAllLines(template.Replace("{pid}", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.True(JsonSamples.TryGetCollections(lines[^1], out var collections), lines[^1]);
        Assert.Equal(JsonSamples.FromAppLine(output[1]), collections);
        Assert.Equal(11, collections.Gen2);
    }

    [Fact]
    public async Task The_Hook_Alone_Sends_The_Apps_Figures_To_StatsD()
    {
        using var receiver = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        receiver.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)receiver.LocalEndPoint!).Port;
        await using ChildProcess app = StartWithHook(["gc", "2", "1", "11"], new()
        {
            ["RUNTIMEPROFILER_INTERVAL"] = "1h",
            ["RUNTIMEPROFILER_NAMES"] = "original",
            ["RUNTIMEPROFILER_STATSD"] = $"udp://127.0.0.1:{port}",
        });

        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.Equal("sample: a line on stderr", app.Error);

        // Only the flush at exit, under the original names: gauges of totals, so the GC count is the app's own.
        byte[] buffer = new byte[65536];
        receiver.ReceiveTimeout = 10_000;
        string lines = string.Empty;
        while (receiver.Available > 0 || lines.Length == 0)
        {
            lines += System.Text.Encoding.ASCII.GetString(buffer, 0, receiver.Receive(buffer)) + "\n";
        }

        long collections = long.Parse(app.Output.Split('\n')[1].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"runtime.gc.count:{collections}|g\n", lines, StringComparison.Ordinal);
        Assert.Contains("runtime.mem.heap.alloc_bytes:", lines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_App_With_Another_RuntimeProfiler_Keeps_Its_Own_And_Is_Profiled()
    {
        string samples = Path.Combine(_folder, "conflict.jsonl");
        await using ChildProcess app = ChildProcess.StartDotnet(TestArtifacts.ConflictApp, [], new Dictionary<string, string?>
        {
            ["DOTNET_STARTUP_HOOKS"] = TestArtifacts.StartupHook,
            ["RUNTIMEPROFILER_FORMAT"] = "json",
            ["RUNTIMEPROFILER_OUTPUT"] = samples,
        });

        Assert.Equal(0, await app.WaitForExitAsync());
        string[] output = app.Output.Split('\n');
        Assert.Equal("app's RuntimeProfiler 99.0.0.0", output[0]);
        Assert.Equal(string.Empty, app.Error);
        Assert.True(JsonSamples.TryGetCollections(File.ReadAllLines(samples)[^1], out var collections));
        Assert.Equal(JsonSamples.FromAppLine(output[1]), collections);
    }

    [Fact]
    public async Task The_Hook_Alone_Serves_Metrics_And_The_Live_Page_From_Inside_The_App()
    {
        int port = FreePort();
        await using ChildProcess app = StartWithHook(["serve"], new()
        {
            ["RUNTIMEPROFILER_INTERVAL"] = "200ms",
            ["RUNTIMEPROFILER_PROMETHEUS"] = $"127.0.0.1:{port}",
        });
        string pid = (await app.WaitForOutputLineAsync(l => l.StartsWith("ready ", StringComparison.Ordinal)))["ready ".Length..];

        // The endpoint starts off the app's startup path: it answers once it has bound.
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        string metrics = await GetWhenListeningAsync(client, "/metrics");
        Assert.Contains("dotnet_gc_collections_total", metrics, StringComparison.Ordinal);
        Assert.Contains("<title>RuntimeProfiler</title>", await client.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains($"\"pid\":{pid},", await client.GetStringAsync(new Uri("/updates", UriKind.Relative)), StringComparison.Ordinal);

        await app.Input.WriteLineAsync("exit");
        Assert.Equal(0, await app.WaitForExitAsync());

        // The endpoint alone is asked for: no table on stderr, no announcement (that is RUNTIMEPROFILER_UI's), and the port is free again.
        Assert.Equal(string.Empty, app.Error);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task A_Port_In_Use_Costs_The_Endpoint_Only_And_The_App_Runs_Profiled()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        string samples = Path.Combine(_folder, "samples.jsonl");
        await using ChildProcess app = StartWithHook(["gc", "1", "0", "0"], new()
        {
            ["RUNTIMEPROFILER_FORMAT"] = "json",
            ["RUNTIMEPROFILER_OUTPUT"] = samples,
            ["RUNTIMEPROFILER_UI"] = taken.LocalEndPoint!.ToString(),
        });

        Assert.Equal(0, await app.WaitForExitAsync());
        string[] errors = app.Error.Split('\n');
        Assert.Equal("sample: a line on stderr", errors[0]);
        string line = Assert.Single(errors[1..]);
        Assert.StartsWith("runtime-profiler: ", line, StringComparison.Ordinal);
        Assert.Contains(taken.LocalEndPoint!.ToString()!, line, StringComparison.Ordinal);
        Assert.EndsWith("; the app runs without it", line, StringComparison.Ordinal);
        Assert.True(JsonSamples.TryGetCollections(File.ReadAllLines(samples)[^1], out _));
    }

    [Theory]
    [InlineData("RUNTIMEPROFILER_INTERVAL", "soon", "RUNTIMEPROFILER_INTERVAL: 'soon' is not a duration")]
    [InlineData("RUNTIMEPROFILER_FORMAT", "xml", "RUNTIMEPROFILER_FORMAT: 'xml' is not a format")]
    [InlineData("RUNTIMEPROFILER_STATSD_HOST", "localhost", "RUNTIMEPROFILER_STATSD_HOST is not a setting of this version")]
    [InlineData("RUNTIMEPROFILER_STATSD", "localhost:8125", "RUNTIMEPROFILER_STATSD: 'localhost:8125' is not a StatsD URL")]
    [InlineData("RUNTIMEPROFILER_OUTPUT", "/no/such/folder/samples.jsonl", "RUNTIMEPROFILER_OUTPUT: cannot open '/no/such/folder/samples.jsonl'")]
    [InlineData("RUNTIMEPROFILER_NAMES", "otel", "nothing to write samples to")]
    public async Task A_Broken_Configuration_Is_One_Line_On_Stderr_And_The_App_Runs_Untouched(string name, string value, string message)
    {
        var environment = new Dictionary<string, string?> { [name] = value };
        if (name != "RUNTIMEPROFILER_NAMES")
        {
            environment.TryAdd("RUNTIMEPROFILER_OUTPUT", "stdout");
        }

        await using ChildProcess app = StartWithHook(["echo"], environment);
        await app.Input.WriteAsync("line one\nline two\n");
        app.Input.Close();

        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.Equal("line one\nline two", app.Output);
        Assert.StartsWith("runtime-profiler: " + message, app.Error, StringComparison.Ordinal);
        Assert.EndsWith("; the app runs unprofiled", app.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', app.Error);
    }

    [Fact]
    public async Task Processes_The_App_Starts_Do_Not_Load_The_Hook()
    {
        await using ChildProcess app = StartWithHook(["child-env"], new() { ["RUNTIMEPROFILER_OUTPUT"] = Path.Combine(_folder, "table.txt") });

        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.Equal("child sees []", app.Output);
    }

    [Fact]
    public void The_Hook_Needs_Nothing_Newer_Than_Dotnet_Core_3_1_So_Old_Runtimes_Can_Load_It_And_Say_Why_Not()
    {
        using var file = File.OpenRead(TestArtifacts.StartupHook);
        using var reader = new PEReader(file);
        MetadataReader metadata = reader.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h)).ToList();

        Assert.All(references, r => Assert.True(r.Version <= new Version(4, 2, 2, 0), $"{metadata.GetString(r.Name)} {r.Version}"));
        Assert.Contains(references, r => metadata.GetString(r.Name) == "System.Runtime.Loader");
        Assert.DoesNotContain(references, r => metadata.GetString(r.Name).StartsWith("RuntimeProfiler", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task<string> GetWhenListeningAsync(HttpClient client, string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await client.GetStringAsync(new Uri(path, UriKind.Relative));
            }
            catch (HttpRequestException) when (attempt < 600)
            {
                await Task.Delay(50);
            }
        }
    }

    private static ChildProcess StartWithHook(string[] arguments, Dictionary<string, string?> environment)
    {
        environment["DOTNET_STARTUP_HOOKS"] = TestArtifacts.StartupHook;
        return ChildProcess.StartDotnet(TestArtifacts.SampleApp, arguments, environment);
    }
}
