using System.Net;
using System.Net.Sockets;

namespace RuntimeProfiling.Cli.Tests.Commands;

public sealed class UiOptionTests
{
    [Fact]
    public async Task Ui_Takes_The_Prometheus_Address_Prints_The_Page_And_Serves_It_While_The_Demo_Runs()
    {
        int port = FreePort();
        using var cancel = new CancellationTokenSource();
        using var output = new ConcurrentStringWriter();
        using var error = new ConcurrentStringWriter();
        Task<int> running = CliApp.RunAsync(["demo", "--interval", "100ms", "--duration", "0", "--format", "json", "--prometheus", $"127.0.0.1:{port}", "--ui"], output, error, handleProcessSignals: false, cancel.Token);
        using var client = new HttpClient();
        string? page = null;
        for (int attempt = 0; attempt < 300 && page is null; attempt++)
        {
            Assert.False(running.IsCompleted, "The demo ended early: " + error.Text);
            try
            {
                page = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Contains("<title>RuntimeProfiler</title>", page, StringComparison.Ordinal);
        Assert.Equal($"runtime-profiler: live page at http://127.0.0.1:{port}/\n", error.Text);
        await cancel.CancelAsync();
        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Ui_And_Prometheus_Naming_Different_Addresses_Is_A_Usage_Error()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await CliApp.RunAsync(["demo", "--duration", "1s", "--prometheus", "127.0.0.1:9100", "--ui", "127.0.0.1:9200"], output, error, handleProcessSignals: false);
        Assert.Equal(2, exitCode);
        string line = Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith("runtime-profiler: --ui 127.0.0.1:9200 and --prometheus 127.0.0.1:9100 name different addresses", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--ui", "nowhere")]
    [InlineData("--ui", "127.0.0.1:0")]
    public async Task A_Bad_Ui_Address_Is_A_Usage_Error(string option, string value)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await CliApp.RunAsync(["demo", option, value], output, error, handleProcessSignals: false));
        Assert.StartsWith("runtime-profiler: --ui: ", error.ToString(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
