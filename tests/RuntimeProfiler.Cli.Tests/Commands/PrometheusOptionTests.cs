using System.Net;
using System.Net.Sockets;
using RuntimeProfiling.Agent;
using RuntimeProfiling.Cli.Commands;

namespace RuntimeProfiling.Cli.Tests.Commands;

public sealed class PrometheusOptionTests
{
    [Theory]
    [InlineData(null, "127.0.0.1:9464")]
    [InlineData("127.0.0.1:9100", "127.0.0.1:9100")]
    [InlineData("localhost:9464", "127.0.0.1:9464")]
    [InlineData("0.0.0.0:9464", "0.0.0.0:9464")]
    [InlineData("[::1]:9464", "[::1]:9464")]
    public void Reads_Host_And_Port(string? text, string expected)
    {
        Assert.True(EndpointAddressParser.TryParse(text, out IPEndPoint endPoint, out _));
        Assert.Equal(expected, endPoint.ToString());
    }

    [Fact]
    public async Task Demo_Serves_Prometheus_While_It_Runs_And_Closes_The_Port_After()
    {
        int port = FreePort();
        using var cancel = new CancellationTokenSource();
        using var output = new ConcurrentStringWriter();
        using var error = new StringWriter();
        Task<int> running = CliApp.RunAsync(["demo", "--interval", "100ms", "--duration", "0", "--format", "json", "--prometheus", $"127.0.0.1:{port}"], output, error, handleProcessSignals: false, cancel.Token);
        using var client = new HttpClient();
        var url = new Uri($"http://127.0.0.1:{port}/metrics");
        string? text = null;
        for (int attempt = 0; attempt < 300 && text is null; attempt++)
        {
            Assert.False(running.IsCompleted, "The demo ended early: " + error);
            try
            {
                text = await client.GetStringAsync(url);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(text);
        Assert.Contains("\ndotnet_gc_collections_total{gc_heap_generation=\"gen0\"} ", text, StringComparison.Ordinal);
        await cancel.CancelAsync();
        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(string.Empty, error.ToString());
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(url));
    }

    [Fact]
    public async Task A_Port_In_Use_Gets_One_Line_Naming_It_And_Exit_Code_1()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await CliApp.RunAsync(["demo", "--duration", "1s", "--prometheus", $"127.0.0.1:{port}"], output, error, handleProcessSignals: false);
        Assert.Equal(1, exitCode);
        string line = Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith("runtime-profiler: ", line, StringComparison.Ordinal);
        Assert.Contains($"port {port} is already in use", line, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
