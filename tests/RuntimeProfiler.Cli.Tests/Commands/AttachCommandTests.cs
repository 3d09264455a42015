using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Cli.Tests.Commands;

/// <summary>runtime-profiler attach against the sample app, a real .NET process read over EventPipe.</summary>
public sealed class AttachCommandTests
{
    // A gen0 budget of 256 MB: the idle sample app then collects only when told to, so its counts are exact.
    private static readonly Dictionary<string, string?> s_quietGc = new() { ["DOTNET_GCgen0size"] = "0x10000000" };

    [Fact]
    public async Task Attach_Reports_The_Collection_Counts_The_App_Reads_Itself()
    {
        await using ChildProcess app = ChildProcess.StartDotnet(TestArtifacts.SampleApp, ["serve"], s_quietGc);
        await app.WaitForOutputLineAsync(line => line.StartsWith("ready ", StringComparison.Ordinal));
        using var output = new ConcurrentStringWriter();
        using var error = new ConcurrentStringWriter();
        Task<int> attach = CliApp.RunAsync(["attach", "--pid", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--interval", "200ms", "--format", "json"], output, error, handleProcessSignals: false);
        await WaitForAsync(() => output.Text.Contains('\n', StringComparison.Ordinal), attach, error);

        await app.Input.WriteLineAsync("gc 4 3 2");
        await app.Input.FlushAsync();
        (long Gen0, long Gen1, long Gen2) expected = JsonSamples.FromAppLine(await app.WaitForOutputLineAsync(line => line.StartsWith("collections ", StringComparison.Ordinal)));

        // The target publishes once per interval: wait for the first sample that saw the app's last collection.
        string? sample = null;
        await WaitForAsync(
            () =>
            {
                sample = Lines(output).LastOrDefault(line => JsonSamples.TryGetCollections(line, out var seen) && seen.Gen2 >= expected.Gen2);
                return sample is not null;
            },
            attach,
            error);
        Assert.True(JsonSamples.TryGetCollections(sample!, out var reported));
        Assert.Equal(expected, reported);

        await app.Input.WriteLineAsync("exit");
        await app.Input.FlushAsync();
        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.Equal(3, await attach.WaitAsync(ChildProcess.Patience));
        Assert.Equal($"runtime-profiler: process {app.Id} (dotnet) exited; its samples up to then were written\n", error.Text);
        Assert.True(JsonSamples.TryGetCollections(Lines(output)[^1], out var last));
        Assert.Equal(expected, last);
    }

    [Fact]
    public async Task Attach_With_Prometheus_Serves_The_Targets_Figures_Not_The_Clis()
    {
        await using ChildProcess app = ChildProcess.StartDotnet(TestArtifacts.SampleApp, ["serve"], s_quietGc);
        await app.WaitForOutputLineAsync(line => line.StartsWith("ready ", StringComparison.Ordinal));
        await app.Input.WriteLineAsync("gc 0 0 5");
        await app.Input.FlushAsync();
        (long Gen0, long Gen1, long Gen2) expected = JsonSamples.FromAppLine(await app.WaitForOutputLineAsync(line => line.StartsWith("collections ", StringComparison.Ordinal)));

        int port = FreePort();
        using var output = new ConcurrentStringWriter();
        using var error = new ConcurrentStringWriter();
        using var cancel = new CancellationTokenSource();
        Task<int> attach = CliApp.RunAsync(
            ["attach", "--pid", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--interval", "200ms", "--prometheus", $"127.0.0.1:{port}"],
            output,
            error,
            handleProcessSignals: false,
            cancel.Token);

        // The CLI itself has run no gen2 collection; the app has run five: the endpoint must show the app's.
        using var http = new HttpClient();
        string gen2 = string.Empty;
        await WaitForAsync(
            () =>
            {
                try
                {
                    string body = http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")).GetAwaiter().GetResult();
                    gen2 = body.Split('\n').FirstOrDefault(l => l.StartsWith("dotnet_gc_collections_total{gc_heap_generation=\"gen2\"}", StringComparison.Ordinal)) ?? string.Empty;
                    return gen2.Length > 0;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            attach,
            error);
        Assert.Equal(expected.Gen2.ToString(System.Globalization.CultureInfo.InvariantCulture), gen2.Split(' ')[^1]);

        await cancel.CancelAsync();
        Assert.Equal(0, await attach.WaitAsync(ChildProcess.Patience));
        await app.Input.WriteLineAsync("exit");
        await app.Input.FlushAsync();
        Assert.Equal(0, await app.WaitForExitAsync());
    }

    [Fact]
    public async Task Attach_With_Ui_Serves_The_Targets_Live_Page_And_Prints_Its_Address()
    {
        await using ChildProcess app = ChildProcess.StartDotnet(TestArtifacts.SampleApp, ["serve"]);
        string pid = (await app.WaitForOutputLineAsync(line => line.StartsWith("ready ", StringComparison.Ordinal)))["ready ".Length..];

        int port = FreePort();
        using var output = new ConcurrentStringWriter();
        using var error = new ConcurrentStringWriter();
        using var cancel = new CancellationTokenSource();
        Task<int> attach = CliApp.RunAsync(["attach", "--pid", pid, "--interval", "200ms", "--format", "json", "--ui", $"127.0.0.1:{port}"], output, error, handleProcessSignals: false, cancel.Token);

        // The page's header names the target, and its history fills with the samples attach delivers: two frames at least.
        using var http = new HttpClient();
        string updates = string.Empty;
        await WaitForAsync(
            () =>
            {
                try
                {
                    updates = http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/updates")).GetAwaiter().GetResult();
                    return updates.Split("\ndata: {\"t\":").Length > 2;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            attach,
            error);
        Assert.Contains($"\"pid\":{pid},", updates, StringComparison.Ordinal);
        Assert.DoesNotContain($"\"pid\":{Environment.ProcessId},", updates, StringComparison.Ordinal);
        Assert.Contains("<title>RuntimeProfiler</title>", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/")), StringComparison.Ordinal);
        Assert.Equal($"runtime-profiler: live page at http://127.0.0.1:{port}/\n", error.Text);

        await cancel.CancelAsync();
        Assert.Equal(0, await attach.WaitAsync(ChildProcess.Patience));
        await app.Input.WriteLineAsync("exit");
        await app.Input.FlushAsync();
        Assert.Equal(0, await app.WaitForExitAsync());
    }

    [Fact]
    public async Task Attach_For_A_Duration_Ends_With_Exit_Code_0_And_Leaves_The_App_Running()
    {
        await using ChildProcess app = ChildProcess.StartDotnet(TestArtifacts.SampleApp, ["serve"]);
        await app.WaitForOutputLineAsync(line => line.StartsWith("ready ", StringComparison.Ordinal));
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await CliApp.RunAsync(["attach", "--pid", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--interval", "100ms", "--duration", "500ms"], output, error, handleProcessSignals: false);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        Assert.Contains("dotnet.gc.heap.total_allocated", output.ToString(), StringComparison.Ordinal);
        await app.Input.WriteLineAsync("gc 0 0 1");
        await app.Input.FlushAsync();
        await app.WaitForOutputLineAsync(line => line.StartsWith("collections ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Pid_Of_No_Process_Is_One_Line_And_Exit_Code_1()
    {
        await using ChildProcess gone = ChildProcess.Start("true", []);
        await gone.WaitForExitAsync();

        (int exitCode, string error) = await AttachAsync(gone.Id);

        Assert.Equal(1, exitCode);
        Assert.Equal($"runtime-profiler: no process has id {gone.Id}\n", error);
    }

    [Fact]
    public async Task A_Process_That_Is_Not_Dotnet_Is_One_Line_And_Exit_Code_1()
    {
        await using ChildProcess sleeper = ChildProcess.Start("sleep", ["60"]);

        (int exitCode, string error) = await AttachAsync(sleeper.Id);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"runtime-profiler: process {sleeper.Id} (sleep) has no diagnostic socket in ", error, StringComparison.Ordinal);
        Assert.EndsWith("it is not a .NET process, it runs with DOTNET_EnableDiagnostics=0, or its TMPDIR differs from this one's\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Process_Of_Another_User_Is_One_Line_And_Exit_Code_1()
    {
        Assert.SkipUnless(Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "Needs root, to run the tool as another user (nobody) with setpriv.");
        await using ChildProcess app = ChildProcess.StartDotnet(TestArtifacts.SampleApp, ["serve"]);
        await app.WaitForOutputLineAsync(line => line.StartsWith("ready ", StringComparison.Ordinal));

        await using ChildProcess cli = ChildProcess.Start(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", TestArtifacts.Cli, "attach", "--pid", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string?> { ["HOME"] = Path.GetTempPath(), ["DOTNET_CLI_HOME"] = Path.GetTempPath() });

        Assert.Equal(1, await cli.WaitForExitAsync());
        Assert.Equal($"runtime-profiler: process {app.Id} (dotnet) belongs to another user: attach as that user (or as root)", cli.Error);
    }

    private static async Task<(int ExitCode, string Error)> AttachAsync(int pid)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await CliApp.RunAsync(["attach", "--pid", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], output, error, handleProcessSignals: false);
        Assert.Equal(string.Empty, output.ToString());
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        return (exitCode, error.ToString());
    }

    private static string[] Lines(ConcurrentStringWriter output) =>
        output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task WaitForAsync(Func<bool> condition, Task<int> attach, ConcurrentStringWriter error)
    {
        using var timeout = new CancellationTokenSource(ChildProcess.Patience);
        while (!condition())
        {
            Assert.False(attach.IsCompleted, "attach ended early: " + error.Text);
            Assert.False(timeout.IsCancellationRequested, "attach wrote nothing like it in time: " + error.Text);
            await Task.Delay(20);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
