using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Cli.Tests.Commands;

/// <summary>runtime-profiler run, as users run it: the tool as a process, from its own build folder, starting the sample app.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("run-command-").FullName;

    [Fact]
    public async Task Run_Ships_The_Apps_Own_Figures_And_Passes_Its_Streams_And_Exit_Code_Through()
    {
        string samples = Path.Combine(_folder, "samples.jsonl");

        // 17 forced gen2 collections: the CLI itself never collects like that, so the counts are the app's.
        await using ChildProcess cli = RunCli(["--interval", "100ms", "--format", "json", "--output", samples, "--", "dotnet", TestArtifacts.SampleApp, "gc", "3", "2", "17", "5"]);

        Assert.Equal(5, await cli.WaitForExitAsync());
        string[] output = cli.Output.Split('\n');
        Assert.Equal(2, output.Length);
        Assert.StartsWith("sample: pid ", output[0], StringComparison.Ordinal);
        Assert.StartsWith("collections ", output[1], StringComparison.Ordinal);
        Assert.Equal("sample: a line on stderr", cli.Error);

        // The last sample is the flush at the app's exit, after it read its own counts.
        string[] lines = File.ReadAllLines(samples);
        Assert.NotEmpty(lines);
        Assert.True(JsonSamples.TryGetCollections(lines[^1], out var collections), lines[^1]);
        Assert.Equal(JsonSamples.FromAppLine(output[1]), collections);
        Assert.Equal(17, collections.Gen2);
    }

    [Fact]
    public async Task Samples_Go_To_The_Apps_Stderr_By_Default_And_Its_Stdout_Stays_Its_Own()
    {
        await using ChildProcess cli = RunCli(["--format", "json", "--", "dotnet", TestArtifacts.SampleApp, "echo"]);
        await cli.Input.WriteAsync("first line\nsecond line\n");
        cli.Input.Close();

        Assert.Equal(0, await cli.WaitForExitAsync());
        Assert.Equal("first line\nsecond line", cli.Output);
        string[] errors = cli.Error.Split('\n');
        Assert.NotEmpty(errors);
        Assert.All(errors, line => Assert.StartsWith("{\"timestamp\":", line, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("INT", 2)]
    [InlineData("QUIT", 3)]
    public async Task A_Signal_To_The_Cli_Reaches_The_App_And_Its_Exit_Code_Comes_Back(string signal, int number)
    {
        await using ChildProcess cli = RunCli(["--output", Path.Combine(_folder, "table.txt"), "--", "dotnet", TestArtifacts.SampleApp, "signals"]);
        await cli.WaitForOutputLineAsync(line => line == "ready");

        await cli.SignalAsync(signal);

        Assert.Equal(40 + number, await cli.WaitForExitAsync());
        Assert.Contains($"received signal {number}", cli.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, cli.Error);
    }

    [Fact]
    public async Task A_Command_That_Is_Not_Dotnet_Keeps_Its_Exit_Code_And_Gets_A_Message()
    {
        await using ChildProcess cli = RunCli(["--", "sh", "-c", "echo from sh; exit 7"]);

        Assert.Equal(7, await cli.WaitForExitAsync());
        Assert.Equal("from sh", cli.Output);
        Assert.Equal("runtime-profiler: 'sh' exited without loading the profiler: it is not a .NET app, or its runtime does not run startup hooks (native AOT, or trimmed with System.StartupHookProvider.IsSupported=false)", cli.Error);
    }

    [Fact]
    public async Task A_Child_Ended_By_A_Signal_Returns_128_Plus_The_Signal()
    {
        await using ChildProcess cli = RunCli(["--", "sh", "-c", "kill -TERM $$"]);

        Assert.Equal(128 + 15, await cli.WaitForExitAsync());
    }

    [Fact]
    public async Task A_Missing_Command_Is_Exit_Code_127_With_One_Line()
    {
        (int exitCode, string error) = await RunInProcessAsync("--", "no-such-command-here");

        Assert.Equal(127, exitCode);
        Assert.Equal("runtime-profiler: 'no-such-command-here' was not found (not a file, and not a command on PATH)\n", error);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("watch")]
    [InlineData("test")]
    public async Task Dotnet_Run_Is_Refused_Because_It_Would_Profile_The_Sdk(string sdkCommand)
    {
        (int exitCode, string error) = await RunInProcessAsync("--", "dotnet", sdkCommand, "--project", "x");

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"runtime-profiler: 'dotnet {sdkCommand}' would profile the .NET SDK", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Hook_Goes_In_The_Childs_Environment_Never_In_The_Clis()
    {
        string seen = Path.Combine(_folder, "seen.txt");
        (int exitCode, _) = await RunInProcessAsync("--", "sh", "-c", $"echo \"$DOTNET_STARTUP_HOOKS|$RUNTIMEPROFILER_INTERVAL|$RUNTIMEPROFILER_FORMAT|$RUNTIMEPROFILER_OUTPUT\" > '{seen}'");

        Assert.Equal(0, exitCode);
        string hook = Path.Combine(AppContext.BaseDirectory, "startup-hook", "RuntimeProfiler.StartupHook.dll");
        Assert.Equal($"{hook}|1000ms|table|stderr", File.ReadAllText(seen).TrimEnd('\n'));
        Assert.Null(Environment.GetEnvironmentVariable("DOTNET_STARTUP_HOOKS"));
        Assert.Null(Environment.GetEnvironmentVariable("RUNTIMEPROFILER_FORMAT"));
    }

    [Fact]
    public async Task Run_With_Ui_Serves_The_Apps_Own_Live_Page_From_Inside_The_App()
    {
        int port = FreePort();
        await using ChildProcess cli = RunCli(["--interval", "200ms", "--output", Path.Combine(_folder, "table.txt"), "--ui", $"127.0.0.1:{port}", "--", "dotnet", TestArtifacts.SampleApp, "serve"]);
        string ready = await cli.WaitForOutputLineAsync(l => l.StartsWith("ready ", StringComparison.Ordinal));
        string appPid = ready["ready ".Length..];
        Assert.NotEqual(cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), appPid);

        // The app announces its page on its stderr, which run passes through.
        Assert.Equal($"runtime-profiler: live page at http://127.0.0.1:{port}/", await cli.WaitForErrorLineAsync(l => l.Contains("live page", StringComparison.Ordinal)));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        Assert.Contains("<title>RuntimeProfiler</title>", await client.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
        string updates = await client.GetStringAsync(new Uri("/updates", UriKind.Relative));
        Assert.Contains($"\"pid\":{appPid},", updates, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"RuntimeProfiler.SampleApp\"", updates, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

        await cli.Input.WriteLineAsync("exit");
        Assert.Equal(0, await cli.WaitForExitAsync());
    }

    [Fact]
    public async Task Run_Without_A_Command_Is_A_Usage_Error()
    {
        (int exitCode, string error) = await RunInProcessAsync();

        Assert.Equal(2, exitCode);
        Assert.StartsWith("runtime-profiler: ", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static ChildProcess RunCli(string[] arguments) => ChildProcess.StartDotnet(TestArtifacts.Cli, ["run", .. arguments]);

    private static async Task<(int ExitCode, string Error)> RunInProcessAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await CliApp.RunAsync(["run", .. arguments], output, error, handleProcessSignals: false);
        Assert.Equal(string.Empty, output.ToString());
        return (exitCode, error.ToString());
    }
}
