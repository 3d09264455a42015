using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RuntimeProfiling.Hosting.Tests;

public sealed class RuntimeProfilerOptionsValidationTests
{
    [Theory]
    [InlineData("RuntimeProfiler:Sinks:Statsd2:Url", "udp://x:1", "RuntimeProfiler:Sinks:Statsd2 is not a sink; allowed: Console, Json, Meter, Prometheus")]
    [InlineData("RuntimeProfiler:Interval", "00:00:00.001", "RuntimeProfiler:Interval is 00:00:00.0010000; allowed: 00:00:00.0100000 to 1.00:00:00")]
    [InlineData("RuntimeProfiler:Interval", "2.00:00:00", "RuntimeProfiler:Interval is 2.00:00:00; allowed")]
    [InlineData("RuntimeProfiler:Interval", "often", "RuntimeProfiler:Interval is 'often'; expected a duration such as 00:00:10")]
    [InlineData("RuntimeProfiler:StopTimeout", "-00:00:01", "RuntimeProfiler:StopTimeout is -00:00:01; allowed: 00:00:00 to 00:10:00")]
    [InlineData("RuntimeProfiler:FlushOnStop", "maybe", "RuntimeProfiler:FlushOnStop is 'maybe'; allowed: true, false")]
    [InlineData("RuntimeProfiler:Intervall", "00:00:10", "RuntimeProfiler:Intervall is not a setting; allowed: Interval, StopTimeout, FlushOnStop, SinkErrorLogInterval, Sinks")]
    [InlineData("RuntimeProfiler:Sinks:Console:Naming", "otel", "RuntimeProfiler:Sinks:Console:Naming is 'otel'; allowed: OpenTelemetry, Original")]
    [InlineData("RuntimeProfiler:Sinks:Console:Enabled", "yes", "RuntimeProfiler:Sinks:Console:Enabled is 'yes'; allowed: true, false")]
    [InlineData("RuntimeProfiler:Sinks:Console:Nameing", "original", "RuntimeProfiler:Sinks:Console:Nameing is not a setting of the Console sink; allowed: Enabled, Naming")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:Prot", "9100", "RuntimeProfiler:Sinks:Prometheus:Prot is not a setting of the Prometheus sink; allowed: Enabled, Address, Port, Path, Naming, MinimumSampleInterval, EnableGzip, MaxConnections, MaxRequestHeaderBytes, RequestTimeout, KeepAliveTimeout")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:Port", "70000", "RuntimeProfiler:Sinks:Prometheus:Port is 70000; allowed: 0 to 65535 (0 picks a free port)")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:Port", "http", "RuntimeProfiler:Sinks:Prometheus:Port is 'http'; expected a whole number from 0 to 65535 (0 picks a free port)")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:Address", "localhost:9464", "RuntimeProfiler:Sinks:Prometheus:Address is 'localhost:9464'; expected an IP address such as 127.0.0.1 (this machine only), 0.0.0.0 (every IPv4 interface) or :: (every interface)")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:Address", "9464", "RuntimeProfiler:Sinks:Prometheus:Address is '9464'; expected an IP address")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:Path", "metrics", "RuntimeProfiler:Sinks:Prometheus:Path is 'metrics'; expected a path that starts with '/'")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:Naming", "otel", "RuntimeProfiler:Sinks:Prometheus:Naming is 'otel'; allowed: OpenTelemetry, Original")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:EnableGzip", "yes", "RuntimeProfiler:Sinks:Prometheus:EnableGzip is 'yes'; allowed: true, false")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:MaxConnections", "0", "RuntimeProfiler:Sinks:Prometheus:MaxConnections is 0; allowed: 1 to 1024")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:MaxRequestHeaderBytes", "8k", "RuntimeProfiler:Sinks:Prometheus:MaxRequestHeaderBytes is '8k'; expected a whole number from 1024 to 65536")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:MinimumSampleInterval", "00:05:00", "RuntimeProfiler:Sinks:Prometheus:MinimumSampleInterval is 00:05:00; allowed: 00:00:00 to 00:01:00")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:RequestTimeout", "00:10:00", "RuntimeProfiler:Sinks:Prometheus:RequestTimeout is 00:10:00; allowed: 00:00:00.1000000 to 00:05:00")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:KeepAliveTimeout", "soon", "RuntimeProfiler:Sinks:Prometheus:KeepAliveTimeout is 'soon'; expected a duration such as 00:00:10 (00:00:00.1000000 to 01:00:00)")]
    public async Task Bad_Configuration_Fails_The_Start_With_A_Message_Naming_The_Key_And_The_Allowed_Values(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["RuntimeProfiler:Sinks:Console:Enabled"] = "true", [key] = value };
        using IHost host = HostFixture.Build(settings, services => services.AddRuntimeProfiler());
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_Given_In_Code_Are_Checked_Too_And_Named_By_Their_Configuration_Key()
    {
        using IHost host = HostFixture.Build([], services => services.AddRuntimeProfiler(b => b.AddPrometheus(o =>
        {
            o.Port = -1;
            o.Path = "/a b";
        })));
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Collection(
            e.Failures,
            f => Assert.StartsWith("RuntimeProfiler:Sinks:Prometheus:Path is '/a b'; expected a path", f, StringComparison.Ordinal),
            f => Assert.Equal("RuntimeProfiler:Sinks:Prometheus:Port is -1; allowed: 0 to 65535 (0 picks a free port).", f));
    }

    [Theory]
    [MemberData(nameof(PrometheusBoundaries))]
    public void The_Prometheus_Checks_Agree_With_The_Endpoints_Own(string setting, Action<Sinks.Prometheus.PrometheusEndpointOptions> set)
    {
        using IHost host = HostFixture.Build([], services => services.AddRuntimeProfiler(b => b.AddPrometheus(set)));
        bool hostingAccepts = !PrometheusSinkSetup.Validate(host.Services).Any();
        bool endpointAccepts;
        try
        {
            var options = new Sinks.Prometheus.PrometheusEndpointOptions();
            set(options);
            new Sinks.Prometheus.PrometheusEndpoint(options).Dispose();
            endpointAccepts = true;
        }
        catch (ArgumentException)
        {
            endpointAccepts = false;
        }

        Assert.True(hostingAccepts == endpointAccepts, $"{setting}: the host {(hostingAccepts ? "accepts" : "refuses")} it, the endpoint {(endpointAccepts ? "accepts" : "refuses")} it.");
    }

    public static TheoryData<string, Action<Sinks.Prometheus.PrometheusEndpointOptions>> PrometheusBoundaries()
    {
        var data = new TheoryData<string, Action<Sinks.Prometheus.PrometheusEndpointOptions>>();
        foreach (int port in new[] { -1, 0, 65535, 65536 })
        {
            data.Add($"Port {port}", o => o.Port = port);
        }

        foreach (int connections in new[] { 0, 1, 1024, 1025 })
        {
            data.Add($"MaxConnections {connections}", o => o.MaxConnections = connections);
        }

        foreach (int bytes in new[] { 1023, 1024, 65536, 65537 })
        {
            data.Add($"MaxRequestHeaderBytes {bytes}", o => o.MaxRequestHeaderBytes = bytes);
        }

        TimeSpan tick = TimeSpan.FromTicks(1);
        foreach (TimeSpan interval in new[] { -tick, TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + tick })
        {
            data.Add($"MinimumSampleInterval {interval}", o => o.MinimumSampleInterval = interval);
        }

        foreach (TimeSpan timeout in new[] { TimeSpan.FromMilliseconds(100) - tick, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5) + tick })
        {
            data.Add($"RequestTimeout {timeout}", o => o.RequestTimeout = timeout);
        }

        foreach (TimeSpan timeout in new[] { TimeSpan.FromMilliseconds(100) - tick, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), TimeSpan.FromHours(1) + tick })
        {
            data.Add($"KeepAliveTimeout {timeout}", o => o.KeepAliveTimeout = timeout);
        }

        foreach (string path in new[] { "/metrics", "/", "metrics", "/a?b", "/a#b", "/a b", "/é", string.Empty })
        {
            data.Add($"Path '{path}'", o => o.Path = path);
        }

        data.Add("Address null", o => o.Address = null!);
        data.Add("Naming undefined", o => o.Naming = (Model.MetricNaming)7);
        return data;
    }

    [Fact]
    public async Task A_Missing_Section_Fails_The_Start_When_Nothing_Is_Configured_In_Code()
    {
        using IHost host = HostFixture.Build([], services => services.AddRuntimeProfiler());
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("The configuration section 'RuntimeProfiler' is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_Can_Switch_Off_A_Sink_Added_In_Code_And_No_Sink_Left_Is_An_Error()
    {
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:Console:Enabled"] = "false" },
            services => services.AddRuntimeProfiler(b => b.AddConsole()));
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("No sink is enabled", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_Problem_Is_Reported_At_Once()
    {
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Interval"] = "often", ["RuntimeProfiler:Sinks:Nope"] = "x", ["RuntimeProfiler:Sinks:Json:Naming"] = "go" },
            services => services.AddRuntimeProfiler());
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Collection(
            e.Failures,
            f => Assert.StartsWith("RuntimeProfiler:Interval is 'often'", f, StringComparison.Ordinal),
            f => Assert.StartsWith("RuntimeProfiler:Sinks:Json:Naming is 'go'", f, StringComparison.Ordinal),
            f => Assert.StartsWith("RuntimeProfiler:Sinks:Nope is not a sink", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_Configuration_Binds_Every_Setting()
    {
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Interval"] = "00:00:02",
                ["RuntimeProfiler:StopTimeout"] = "00:00:01",
                ["RuntimeProfiler:FlushOnStop"] = "false",
                ["RuntimeProfiler:SinkErrorLogInterval"] = "00:05:00",
                ["RuntimeProfiler:Sinks:Console:Naming"] = "original",
            },
            services => services.AddRuntimeProfiler());
        RuntimeProfilerHostingOptions options = host.Services.GetRequiredService<IOptions<RuntimeProfilerHostingOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(2), options.Interval);
        Assert.Equal(TimeSpan.FromSeconds(1), options.StopTimeout);
        Assert.False(options.FlushOnStop);
        Assert.Equal(TimeSpan.FromMinutes(5), options.SinkErrorLogInterval);
        Assert.Equal(Model.MetricNaming.Original, host.Services.GetRequiredService<IOptions<Sinks.Console.ConsoleSinkOptions>>().Value.Naming);
    }
}
