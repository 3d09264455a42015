using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Tests.Sinks.StatsD;

public sealed class StatsDSinkOptionsTests
{
    [Theory]
    [InlineData("udp://127.0.0.1:8125", "udp://127.0.0.1:8125", 1432)]
    [InlineData("udp://statsd.example:9125", "udp://statsd.example:9125", 1432)]
    [InlineData("udp://agent", "udp://agent:8125", 1432)]
    [InlineData("udp://[::1]:8125", "udp://[::1]:8125", 1432)]
    [InlineData("unix:///var/run/datadog/dsd.socket", "unix:///var/run/datadog/dsd.socket", 8192)]
    [InlineData("unixgram:///tmp/dsd%20x.socket", "unix:///tmp/dsd x.socket", 8192)]
    public void A_Url_Names_The_Transport_Address_And_Default_Datagram_Size(string address, string endpoint, int datagramBytes)
    {
        var options = new StatsDSinkOptions { Url = new Uri(address), Host = "ignored", UnixSocketPath = "/ignored" };
        StatsDEndpoint parsed = options.Validate();
        Assert.Equal(endpoint, parsed.ToString());
        Assert.Equal(datagramBytes, options.DatagramBytesFor(parsed));
    }

    [Theory]
    [InlineData("udp:///", "no host")]
    [InlineData("udp://host:8125/path", "has a path")]
    [InlineData("udp://host:8125?x=1", "query")]
    [InlineData("unix://relative/dsd.socket", "three slashes")]
    [InlineData("unixstream:///tmp/dsd.socket", "stream transport")]
    [InlineData("tcp://host:8125", "stream transport")]
    [InlineData("http://host:8125", "scheme 'http'")]
    [InlineData("/run/dsd.socket", "'/run/dsd.socket' is a file path, not a StatsD URL; write a socket as unix:///run/dsd.socket")]
    public void A_Bad_Url_Is_Refused_With_A_Message_Naming_The_Problem(string address, string message)
    {
        var options = new StatsDSinkOptions { Url = new Uri(address) };
        ArgumentException e = Assert.Throws<ArgumentException>(() => new StatsDSink(options));
        Assert.Equal(nameof(StatsDSinkOptions.Url), e.ParamName);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Socket_Path_Must_Be_Absolute_And_Fit_A_Unix_Address()
    {
        Assert.Equal(nameof(StatsDSinkOptions.UnixSocketPath), Assert.Throws<ArgumentException>(() => new StatsDSink(new StatsDSinkOptions { UnixSocketPath = "dsd.socket" })).ParamName);
        Assert.Equal(nameof(StatsDSinkOptions.UnixSocketPath), Assert.Throws<ArgumentException>(() => new StatsDSink(new StatsDSinkOptions { UnixSocketPath = "/" + new string('a', 107) })).ParamName);
        using var fits = new StatsDSink(new StatsDSinkOptions { UnixSocketPath = "/" + new string('a', 106) });
    }

    [Fact]
    public void Every_Other_Setting_Is_Checked_And_Named()
    {
        AssertRefused(nameof(StatsDSinkOptions.Host), new StatsDSinkOptions { Host = " " });
        AssertRefused(nameof(StatsDSinkOptions.Port), new StatsDSinkOptions { Port = 0 });
        AssertRefused(nameof(StatsDSinkOptions.Port), new StatsDSinkOptions { Port = 65536 });
        AssertRefused(nameof(StatsDSinkOptions.MaxDatagramBytes), new StatsDSinkOptions { MaxDatagramBytes = 63 });
        AssertRefused(nameof(StatsDSinkOptions.MaxDatagramBytes), new StatsDSinkOptions { MaxDatagramBytes = 65508 });
        AssertRefused(nameof(StatsDSinkOptions.EndpointRefreshInterval), new StatsDSinkOptions { EndpointRefreshInterval = TimeSpan.FromMilliseconds(999) });
        AssertRefused(nameof(StatsDSinkOptions.EndpointRefreshInterval), new StatsDSinkOptions { EndpointRefreshInterval = TimeSpan.Zero });
        AssertRefused(nameof(StatsDSinkOptions.Dialect), new StatsDSinkOptions { Dialect = (StatsDDialect)9 });
        AssertRefused(nameof(StatsDSinkOptions.Naming), new StatsDSinkOptions { Naming = (MetricNaming)9 });
        var emptyValue = new StatsDSinkOptions { Dialect = StatsDDialect.DogStatsD };
        emptyValue.GlobalTags["env"] = string.Empty;
        AssertRefused(nameof(StatsDSinkOptions.GlobalTags), emptyValue);
        Assert.Throws<ArgumentNullException>(() => new StatsDSink(null!));

        using var infinite = new StatsDSink(new StatsDSinkOptions { EndpointRefreshInterval = Timeout.InfiniteTimeSpan, MaxDatagramBytes = 64 });
    }

    [Fact]
    public void Defaults_Send_Plain_StatsD_To_Udp_127_0_0_1_8125()
    {
        var options = new StatsDSinkOptions();
        Assert.Equal(StatsDDialect.Etsy, options.Dialect);
        Assert.Equal(MetricNaming.OpenTelemetry, options.Naming);
        Assert.Equal(TimeSpan.FromSeconds(30), options.EndpointRefreshInterval);
        using var sink = new StatsDSink();
        Assert.Equal("udp://127.0.0.1:8125", sink.Endpoint);
    }

    [Fact]
    public void The_Constructor_Reads_No_Environment_Variable()
    {
        Environment.SetEnvironmentVariable("DD_AGENT_HOST", "agent.from.environment");
        try
        {
            Assert.Equal("127.0.0.1", new StatsDSinkOptions().Host);
            Assert.Empty(new StatsDSinkOptions().GlobalTags);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DD_AGENT_HOST", null);
        }
    }

    [Fact]
    public void The_Dogstatsd_Url_Wins_Over_Agent_Host_And_Port()
    {
        StatsDSinkOptions options = Read(new()
        {
            ["DD_DOGSTATSD_URL"] = "unix:///var/run/datadog/dsd.socket",
            ["DD_AGENT_HOST"] = "agent",
            ["DD_DOGSTATSD_PORT"] = "9125",
        });
        Assert.Equal("unix:///var/run/datadog/dsd.socket", options.Validate().ToString());
        Assert.Equal(StatsDSinkOptions.DefaultPort, options.Port);
    }

    [Fact]
    public void Agent_Host_And_Port_Replace_What_Was_Set_Before_And_Clear_A_Url()
    {
        var options = new StatsDSinkOptions { Url = new Uri("udp://old:1"), UnixSocketPath = "/old.socket", Host = "old" };
        options.ReadDatadogEnvironment(Variables(new() { ["DD_AGENT_HOST"] = "agent", ["DD_DOGSTATSD_PORT"] = "9125" }));
        Assert.Null(options.Url);
        Assert.Null(options.UnixSocketPath);
        Assert.Equal("udp://agent:9125", options.Validate().ToString());
    }

    [Fact]
    public void An_Agent_Host_Starting_With_Unix_Is_A_Socket()
    {
        StatsDSinkOptions options = Read(new() { ["DD_AGENT_HOST"] = "unix:///run/dsd.socket" });
        Assert.Equal("unix:///run/dsd.socket", options.Validate().ToString());
    }

    [Fact]
    public void A_Port_Alone_Changes_Only_The_Port()
    {
        StatsDSinkOptions options = Read(new() { ["DD_DOGSTATSD_PORT"] = "18125" });
        Assert.Equal("udp://127.0.0.1:18125", options.Validate().ToString());
    }

    [Fact]
    public void Env_Service_And_Version_Become_Tags_And_Settings_Made_Afterwards_Win()
    {
        var options = new StatsDSinkOptions { Dialect = StatsDDialect.DogStatsD };
        options.GlobalTags["env"] = "set-before";
        options.ReadDatadogEnvironment(Variables(new() { ["DD_ENV"] = "prod", ["DD_SERVICE"] = "checkout", ["DD_VERSION"] = " 1.4.2 ", ["DD_AGENT_HOST"] = "" }));
        options.GlobalTags["service"] = "set-after";
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["service"] = "set-after", ["version"] = "1.4.2" }, options.GlobalTags);
        Assert.Equal("127.0.0.1", options.Host);
    }

    [Theory]
    [InlineData("DD_DOGSTATSD_PORT", "http")]
    [InlineData("DD_DOGSTATSD_PORT", "70000")]
    [InlineData("DD_DOGSTATSD_URL", "not a url")]
    [InlineData("DD_DOGSTATSD_URL", "/var/run/datadog/dsd.socket")]
    public void A_Malformed_Variable_Is_Refused_By_Name(string name, string value)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Read(new() { [name] = value }));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Bare_Socket_Path_In_The_Dogstatsd_Url_Is_Refused_Saying_How_To_Write_It()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Read(new() { ["DD_DOGSTATSD_URL"] = "/var/run/datadog/dsd.socket" }));
        Assert.Equal("DD_DOGSTATSD_URL is '/var/run/datadog/dsd.socket', a path; write a socket as unix:///var/run/datadog/dsd.socket.", e.Message);
    }

    private static void AssertRefused(string option, StatsDSinkOptions options) =>
        Assert.Equal(option, Assert.ThrowsAny<ArgumentException>(() => new StatsDSink(options)).ParamName);

    private static StatsDSinkOptions Read(Dictionary<string, string> variables) => new StatsDSinkOptions().ReadDatadogEnvironment(Variables(variables));

    private static Func<string, string?> Variables(Dictionary<string, string> variables) => name => variables.GetValueOrDefault(name);
}
