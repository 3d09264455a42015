using RuntimeProfiling.Model;

namespace RuntimeProfiling.Agent.Tests;

public sealed class AgentSettingsTests
{
    [Fact]
    public void An_Output_Alone_Gives_A_Table_Every_10_Seconds_With_Canonical_Names()
    {
        AgentSettings settings = Parse(("RUNTIMEPROFILER_OUTPUT", "stderr"));
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Interval);
        Assert.Equal(AgentFormat.Table, settings.Format);
        Assert.Equal(MetricNaming.OpenTelemetry, settings.Naming);
        Assert.Equal("stderr", settings.Output);
    }

    [Fact]
    public void A_Format_Alone_Writes_To_Stderr()
    {
        AgentSettings settings = Parse(("RUNTIMEPROFILER_FORMAT", "json"));
        Assert.Equal(AgentFormat.Json, settings.Format);
        Assert.Equal("stderr", settings.Output);
    }

    [Fact]
    public void Every_Setting_Is_Read()
    {
        AgentSettings settings = Parse(
            ("RUNTIMEPROFILER_INTERVAL", "1.5s"),
            ("RUNTIMEPROFILER_NAMES", "original"),
            ("RUNTIMEPROFILER_FORMAT", "json"),
            ("RUNTIMEPROFILER_OUTPUT", "/var/log/app-{pid}.jsonl"),
            ("RUNTIMEPROFILER_STATUS_FILE", "/tmp/status"),
            ("PATH", "/usr/bin"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.Interval);
        Assert.Equal(MetricNaming.Original, settings.Naming);
        Assert.Equal(AgentFormat.Json, settings.Format);
        Assert.Equal("/var/log/app-{pid}.jsonl", settings.Output);
    }

    [Fact]
    public void Empty_Values_Count_As_Not_Set()
    {
        AgentSettings settings = Parse(("RUNTIMEPROFILER_FORMAT", "table"), ("RUNTIMEPROFILER_INTERVAL", " "), ("RUNTIMEPROFILER_NAMES", ""));
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Interval);
        Assert.Equal(MetricNaming.OpenTelemetry, settings.Naming);
    }

    [Theory]
    [InlineData("RUNTIMEPROFILER_INTERVAL", "soon", "RUNTIMEPROFILER_INTERVAL: ")]
    [InlineData("RUNTIMEPROFILER_INTERVAL", "5ms", "RUNTIMEPROFILER_INTERVAL: '5ms' is out of range")]
    [InlineData("RUNTIMEPROFILER_INTERVAL", "2d", "RUNTIMEPROFILER_INTERVAL: '2d' is out of range")]
    [InlineData("RUNTIMEPROFILER_NAMES", "statsd", "RUNTIMEPROFILER_NAMES: 'statsd' is not a naming")]
    [InlineData("RUNTIMEPROFILER_FORMAT", "xml", "RUNTIMEPROFILER_FORMAT: 'xml' is not a format")]
    [InlineData("RUNTIMEPROFILER_OUTPUT", "bad\0path", "RUNTIMEPROFILER_OUTPUT: ")]
    [InlineData("RUNTIMEPROFILER_INTERVALL", "1s", "RUNTIMEPROFILER_INTERVALL is not a setting of this version")]
    [InlineData("RUNTIMEPROFILER_PROMETHEUS", "example.com:9464", "RUNTIMEPROFILER_PROMETHEUS: 'example.com' is not an IP address")]
    [InlineData("RUNTIMEPROFILER_UI", "127.0.0.1:99999", "RUNTIMEPROFILER_UI: '99999' is not a port")]
    public void A_Bad_Setting_Is_One_Message_Naming_The_Variable(string name, string value, string expected)
    {
        var variables = new Dictionary<string, string> { ["RUNTIMEPROFILER_FORMAT"] = "json", [name] = value };
        Assert.False(AgentSettings.TryParse(variables, out AgentSettings? settings, out string error));
        Assert.Null(settings);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void An_Endpoint_Alone_Is_Enough_And_The_Ui_Variable_Announces_The_Page()
    {
        AgentSettings prometheus = Parse(("RUNTIMEPROFILER_PROMETHEUS", "0.0.0.0:9100"));
        Assert.Equal("0.0.0.0:9100", prometheus.Endpoint!.ToString());
        Assert.False(prometheus.AnnouncePage);
        Assert.Null(prometheus.Format);

        AgentSettings ui = Parse(("RUNTIMEPROFILER_UI", "localhost:9200"), ("RUNTIMEPROFILER_PROMETHEUS", "127.0.0.1:9200"));
        Assert.Equal("127.0.0.1:9200", ui.Endpoint!.ToString());
        Assert.True(ui.AnnouncePage);
        Assert.Null(Parse(("RUNTIMEPROFILER_FORMAT", "json")).Endpoint);
    }

    [Fact]
    public void Two_Different_Endpoint_Addresses_Are_Refused()
    {
        var variables = new Dictionary<string, string> { ["RUNTIMEPROFILER_PROMETHEUS"] = "127.0.0.1:9100", ["RUNTIMEPROFILER_UI"] = "127.0.0.1:9200" };
        Assert.False(AgentSettings.TryParse(variables, out _, out string error));
        Assert.StartsWith("RUNTIMEPROFILER_PROMETHEUS (127.0.0.1:9100) and RUNTIMEPROFILER_UI (127.0.0.1:9200) differ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void No_Sink_At_All_Is_An_Error_That_Says_What_To_Set()
    {
        Assert.False(AgentSettings.TryParse(new Dictionary<string, string> { ["RUNTIMEPROFILER_INTERVAL"] = "1s" }, out _, out string error));
        Assert.Contains("RUNTIMEPROFILER_OUTPUT", error, StringComparison.Ordinal);
    }

    private static AgentSettings Parse(params (string Name, string Value)[] variables)
    {
        Dictionary<string, string> dictionary = variables.ToDictionary(v => v.Name, v => v.Value);
        Assert.True(AgentSettings.TryParse(dictionary, out AgentSettings? settings, out string error), error);
        return settings;
    }
}
