using System.Net;
using System.Net.Sockets;
using System.Text;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Agent.Tests;

/// <summary><c>RUNTIMEPROFILER_STATSD</c> and <c>RUNTIMEPROFILER_STATSD_DIALECT</c>: read, checked, and turned into a StatsD sink.</summary>
public sealed class AgentStatsDTests
{
    [Fact]
    public void A_StatsD_Url_Alone_Is_An_Output()
    {
        Assert.True(AgentSettings.TryParse(Variables(("RUNTIMEPROFILER_STATSD", "unix:///var/run/datadog/dsd.socket"), ("RUNTIMEPROFILER_STATSD_DIALECT", "dogstatsd")), out AgentSettings? settings, out string error), error);
        Assert.Equal(new Uri("unix:///var/run/datadog/dsd.socket"), settings.StatsD);
        Assert.Equal(StatsDDialect.DogStatsD, settings.StatsDDialect);
        Assert.Null(settings.Format);
    }

    [Theory]
    [InlineData("RUNTIMEPROFILER_STATSD", "statsd:8125", "RUNTIMEPROFILER_STATSD: 'statsd:8125' is not a StatsD URL")]
    [InlineData("RUNTIMEPROFILER_STATSD", "http://statsd:8125", "RUNTIMEPROFILER_STATSD: 'http://statsd:8125' is not a StatsD URL")]
    [InlineData("RUNTIMEPROFILER_STATSD_DIALECT", "graphite", "RUNTIMEPROFILER_STATSD_DIALECT: 'graphite' is not a dialect")]
    public void A_Bad_StatsD_Setting_Is_One_Message_Naming_The_Variable(string name, string value, string expected)
    {
        var variables = new Dictionary<string, string> { ["RUNTIMEPROFILER_STATSD"] = "udp://127.0.0.1:8125", [name] = value };
        Assert.False(AgentSettings.TryParse(variables, out AgentSettings? settings, out string error));
        Assert.Null(settings);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Dialect_Without_A_Url_Is_An_Error()
    {
        Assert.False(AgentSettings.TryParse(Variables(("RUNTIMEPROFILER_FORMAT", "json"), ("RUNTIMEPROFILER_STATSD_DIALECT", "telegraf")), out _, out string error));
        Assert.Equal("RUNTIMEPROFILER_STATSD_DIALECT needs RUNTIMEPROFILER_STATSD", error);
    }

    [Fact]
    public async Task The_Hook_Sends_Every_Sample_To_The_StatsD_Server_Beside_The_Table()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)receiver.LocalEndPoint!).Port;
        Assert.True(AgentSettings.TryParse(Variables(("RUNTIMEPROFILER_OUTPUT", "stderr"), ("RUNTIMEPROFILER_STATSD", $"udp://127.0.0.1:{port}"), ("RUNTIMEPROFILER_STATSD_DIALECT", "dogstatsd")), out AgentSettings? settings, out string error), error);

        using (AgentSinks sinks = AgentSinks.Open(settings, 4242))
        {
            List<IRuntimeMetricsSink> created = sinks.CreateSinks();
            Assert.Collection(created, s => Assert.IsType<ConsoleSink>(s), s => Assert.Equal($"udp://127.0.0.1:{port}", Assert.IsType<StatsDSink>(s).Endpoint));

            // Stopping takes one last sample and hands it to the sinks, whatever the interval.
            await using var profiler = new RuntimeProfiler(created.Where(s => s is StatsDSink), TimeSpan.FromHours(1));
            profiler.Start();
            await profiler.StopAsync();
        }

        byte[] buffer = new byte[65536];
        receiver.ReceiveTimeout = 10_000;
        string datagram = Encoding.ASCII.GetString(buffer, 0, receiver.Receive(buffer));
        Assert.Contains("dotnet.gc.collections:", datagram, StringComparison.Ordinal);
        Assert.Contains("|#gc.heap.generation:gen0", datagram, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Variables(params (string Name, string Value)[] variables) => variables.ToDictionary(v => v.Name, v => v.Value);
}
