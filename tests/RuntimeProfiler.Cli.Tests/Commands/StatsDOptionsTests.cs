using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RuntimeProfiling.Cli.Tests.Commands;

public sealed class StatsDOptionsTests
{
    [Theory]
    [InlineData("--statsd", "nope")]
    [InlineData("--statsd", "http://host:8125")]
    [InlineData("--statsd", "udp://host:99999")]
    [InlineData("--statsd", "udp://host:8125/path")]
    [InlineData("--statsd", "unix://relative/dsd.socket")]
    [InlineData("--statsd", "unixstream:///tmp/dsd.socket")]
    [InlineData("--statsd", "udp://127.0.0.1:8125", "--dialect", "graphite")]
    [InlineData("--dialect", "dogstatsd")]
    public async Task A_Bad_StatsD_Flag_Gets_One_Line_On_Stderr_And_Exit_Code_2(params string[] flags)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await CliApp.RunAsync(["demo", "--duration", "1s", .. flags], output, error, handleProcessSignals: false);
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output.ToString());
        string[] lines = error.ToString().TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("runtime-profiler: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://host:8125")]
    [InlineData("unix://relative/dsd.socket")]
    public async Task Run_Checks_The_StatsD_Url_Before_Starting_The_App(string address)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await CliApp.RunAsync(["run", "--statsd", address, "--", "sh", "-c", "exit 7"], output, error, handleProcessSignals: false);
        Assert.Equal(2, exitCode);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith("runtime-profiler: --statsd: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Hands_The_StatsD_Url_And_Dialect_To_The_Hook_In_The_Apps_Environment()
    {
        string seen = Path.Combine(Path.GetTempPath(), $"rp-statsd-env-{Guid.NewGuid():N}.txt");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            int exitCode = await CliApp.RunAsync(
                ["run", "--statsd", "udp://127.0.0.1:8125", "--dialect", "telegraf", "--", "sh", "-c", $"echo \"$RUNTIMEPROFILER_STATSD|$RUNTIMEPROFILER_STATSD_DIALECT\" > '{seen}'"],
                output,
                error,
                handleProcessSignals: false);
            Assert.Equal(0, exitCode);
            Assert.Equal("udp://127.0.0.1:8125|telegraf", File.ReadAllText(seen).TrimEnd('\n'));
        }
        finally
        {
            File.Delete(seen);
        }
    }

    [Fact]
    public async Task Demo_Sends_Every_Sample_To_The_StatsD_Url_In_The_Chosen_Dialect()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        receiver.ReceiveBufferSize = 1 << 20;
        int port = ((IPEndPoint)receiver.LocalEndPoint!).Port;
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await CliApp.RunAsync(
            ["demo", "--interval", "100ms", "--duration", "500ms", "--format", "json", "--statsd", $"udp://127.0.0.1:{port}", "--dialect", "dogstatsd"],
            output,
            error,
            handleProcessSignals: false);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        var text = new StringBuilder();
        byte[] buffer = new byte[65536];
        while (receiver.Available > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, receiver.Receive(buffer))).Append('\n');
        }

        string[] lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int samples = output.ToString().TrimEnd('\n').Split('\n').Length;
        Assert.Equal(samples, lines.Count(l => l.StartsWith("dotnet.gc.heap.size:", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("dotnet.gc.collections:", StringComparison.Ordinal) && l.EndsWith("|c|#gc.heap.generation:gen0", StringComparison.Ordinal));
    }
}
