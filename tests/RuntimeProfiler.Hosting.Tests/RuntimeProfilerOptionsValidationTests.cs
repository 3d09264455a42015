using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RuntimeProfiling.Hosting.Tests;

public sealed class RuntimeProfilerOptionsValidationTests
{
    [Theory]
    [InlineData("RuntimeProfiler:Sinks:Statsd2:Url", "udp://x:1", "RuntimeProfiler:Sinks:Statsd2 is not a sink; allowed: Console, Json, Meter, Prometheus, StatsD")]
    [InlineData("RuntimeProfiler:Interval", "00:00:00.001", "RuntimeProfiler:Interval is 00:00:00.0010000; allowed: 00:00:00.0100000 to 1.00:00:00")]
    [InlineData("RuntimeProfiler:Interval", "2.00:00:00", "RuntimeProfiler:Interval is 2.00:00:00; allowed")]
    [InlineData("RuntimeProfiler:Interval", "often", "RuntimeProfiler:Interval is 'often'; expected a duration such as 00:00:10")]
    [InlineData("RuntimeProfiler:StopTimeout", "-00:00:01", "RuntimeProfiler:StopTimeout is -00:00:01; allowed: 00:00:00 to 00:10:00")]
    [InlineData("RuntimeProfiler:FlushOnStop", "maybe", "RuntimeProfiler:FlushOnStop is 'maybe'; allowed: true, false")]
    [InlineData("RuntimeProfiler:Intervall", "00:00:10", "RuntimeProfiler:Intervall is not a setting; allowed: Interval, StopTimeout, FlushOnStop, SinkErrorLogInterval, Sinks")]
    [InlineData("RuntimeProfiler:Sinks:Console:Naming", "otel", "RuntimeProfiler:Sinks:Console:Naming is 'otel'; allowed: OpenTelemetry, Original")]
    [InlineData("RuntimeProfiler:Sinks:Console:Enabled", "yes", "RuntimeProfiler:Sinks:Console:Enabled is 'yes'; allowed: true, false")]
    [InlineData("RuntimeProfiler:Sinks:Console:Nameing", "original", "RuntimeProfiler:Sinks:Console:Nameing is not a setting of the Console sink; allowed: Enabled, Naming")]
    [InlineData("RuntimeProfiler:Sinks:Prometheus:Prot", "9100", "RuntimeProfiler:Sinks:Prometheus:Prot is not a setting of the Prometheus sink; allowed: Enabled, Address, Port, Path, Naming, MinimumSampleInterval, EnableGzip, MaxConnections, MaxRequestHeaderBytes, RequestTimeout, KeepAliveTimeout, EnablePage")]
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
    [InlineData("RuntimeProfiler:Sinks:StatsD:Url", "statsd:8125", "RuntimeProfiler:Sinks:StatsD:Url: 'statsd:8125' has the scheme 'statsd'; use udp://host:8125 or unix:///path/to/socket.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Url", "statsd", "RuntimeProfiler:Sinks:StatsD:Url is 'statsd'; expected udp://host:8125, unix:///path/to/socket or unixgram:///path/to/socket.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Url", "http://statsd:8125", "RuntimeProfiler:Sinks:StatsD:Url: 'http://statsd:8125/' has the scheme 'http'; use udp://host:8125 or unix:///path/to/socket.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Url", "tcp://statsd:8125", "RuntimeProfiler:Sinks:StatsD:Url: 'tcp://statsd:8125/' uses tcp, a stream transport; this sink sends datagrams: use udp:// or unix://.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Url", "udp://statsd:0", "RuntimeProfiler:Sinks:StatsD:Url: The port 0 is out of range (1 to 65535).")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Url", "/run/dsd.socket", "RuntimeProfiler:Sinks:StatsD:Url: '/run/dsd.socket' is a file path, not a StatsD URL; write a socket as unix:///run/dsd.socket.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Url", "unix://var/run/dsd.socket", "RuntimeProfiler:Sinks:StatsD:Url: 'unix://var/run/dsd.socket' names a host; a socket URL has three slashes")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:UnixSocketPath", "dsd.socket", "RuntimeProfiler:Sinks:StatsD:UnixSocketPath: The socket path 'dsd.socket' is not absolute.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Host", "stats d", "RuntimeProfiler:Sinks:StatsD:Host is 'stats d'; expected a host name or IP address such as 127.0.0.1 or statsd.monitoring (or set Url or UnixSocketPath).")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Port", "0", "RuntimeProfiler:Sinks:StatsD:Port is 0; allowed: 1 to 65535.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Port", "statsd", "RuntimeProfiler:Sinks:StatsD:Port is 'statsd'; expected a whole number from 1 to 65535.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Dialect", "datadog", "RuntimeProfiler:Sinks:StatsD:Dialect is 'datadog'; allowed: Etsy, DogStatsD, Telegraf.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Naming", "go", "RuntimeProfiler:Sinks:StatsD:Naming is 'go'; allowed: OpenTelemetry, Original.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:MaxDatagramBytes", "63", "RuntimeProfiler:Sinks:StatsD:MaxDatagramBytes is 63; allowed: 64 to 65507 (unset: 1432 over UDP, 8192 over a Unix socket).")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:MaxDatagramBytes", "65508", "RuntimeProfiler:Sinks:StatsD:MaxDatagramBytes is 65508; allowed: 64 to 65507")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:MaxDatagramBytes", "8k", "RuntimeProfiler:Sinks:StatsD:MaxDatagramBytes is '8k'; expected a whole number from 64 to 65507.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:EndpointRefreshInterval", "00:00:00.500", "RuntimeProfiler:Sinks:StatsD:EndpointRefreshInterval is 00:00:00.5000000; allowed: 00:00:01 to 1.00:00:00, or Infinite to look the endpoint up once.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:EndpointRefreshInterval", "never", "RuntimeProfiler:Sinks:StatsD:EndpointRefreshInterval is 'never'; expected a duration such as 00:00:30 (00:00:01 to 1.00:00:00), or Infinite to look the endpoint up once.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:GlobalTags:team", "payments", "RuntimeProfiler:Sinks:StatsD:GlobalTags holds team, but plain StatsD (Dialect Etsy, the default) has no tags; set Dialect to DogStatsD or Telegraf, or use Prefix instead.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:GlobalTags:team:name", "payments", "RuntimeProfiler:Sinks:StatsD:GlobalTags:team is a section; expected a tag value such as \"GlobalTags\": { \"team\": \"payments\" } (a tag key cannot hold ':').")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:ReadDatadogEnvironment", "yes", "RuntimeProfiler:Sinks:StatsD:ReadDatadogEnvironment is 'yes'; allowed: true, false.")]
    [InlineData("RuntimeProfiler:Sinks:StatsD:Adress", "statsd", "RuntimeProfiler:Sinks:StatsD:Adress is not a setting of the StatsD sink; allowed: Enabled, Url, Host, Port, UnixSocketPath, Dialect, Naming, Prefix, GlobalTags, MaxDatagramBytes, EndpointRefreshInterval, ReadDatadogEnvironment.")]
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

    [Fact]
    public async Task An_Empty_Tag_Value_Fails_The_Start_Naming_The_Tag()
    {
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:StatsD:Dialect"] = "DogStatsD", ["RuntimeProfiler:Sinks:StatsD:GlobalTags:team"] = " " },
            services => services.AddRuntimeProfiler());
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Equal("RuntimeProfiler:Sinks:StatsD:GlobalTags:team is ' '; a tag needs a key and a value that are not empty, such as \"team\": \"payments\".", Assert.Single(e.Failures));
    }

    [Fact]
    public async Task StatsD_Settings_Given_In_Code_Are_Checked_Too_And_Named_By_Their_Configuration_Key()
    {
        using IHost host = HostFixture.Build([], services => services.AddRuntimeProfiler(b => b.AddStatsD(o =>
        {
            o.Dialect = (Sinks.StatsD.StatsDDialect)7;
            o.MaxDatagramBytes = 100_000;
            o.EndpointRefreshInterval = TimeSpan.Zero;
        })));
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Collection(
            e.Failures,
            f => Assert.Equal("RuntimeProfiler:Sinks:StatsD:Dialect is 7; allowed: Etsy, DogStatsD, Telegraf.", f),
            f => Assert.StartsWith("RuntimeProfiler:Sinks:StatsD:MaxDatagramBytes is 100000; allowed: 64 to 65507", f, StringComparison.Ordinal),
            f => Assert.StartsWith("RuntimeProfiler:Sinks:StatsD:EndpointRefreshInterval is 00:00:00; allowed: 00:00:01 to 1.00:00:00", f, StringComparison.Ordinal));
        Assert.Empty(HostFixture.HostedService(host).Running);
    }

    [Theory]
    [MemberData(nameof(StatsDBoundaries))]
    public void The_StatsD_Checks_Agree_With_The_Sinks_Own(string setting, Action<Sinks.StatsD.StatsDSinkOptions> set)
    {
        using IHost host = HostFixture.Build([], services => services.AddRuntimeProfiler(b => b.AddStatsD(set)));
        bool hostingAccepts = !StatsDSinkSetup.Validate(host.Services).Any();
        bool sinkAccepts;
        try
        {
            var options = new Sinks.StatsD.StatsDSinkOptions();
            set(options);
            new Sinks.StatsD.StatsDSink(options).Dispose();
            sinkAccepts = true;
        }
        catch (ArgumentException)
        {
            sinkAccepts = false;
        }

        Assert.True(hostingAccepts == sinkAccepts, $"{setting}: the host {(hostingAccepts ? "accepts" : "refuses")} it, the sink {(sinkAccepts ? "accepts" : "refuses")} it.");
    }

    public static TheoryData<string, Action<Sinks.StatsD.StatsDSinkOptions>> StatsDBoundaries()
    {
        var data = new TheoryData<string, Action<Sinks.StatsD.StatsDSinkOptions>>();
        foreach (int port in new[] { 0, 1, 65535, 65536 })
        {
            data.Add($"Port {port}", o => o.Port = port);
        }

        foreach (long bytes in new[] { 63, 64, 65507, 65508 })
        {
            data.Add($"MaxDatagramBytes {bytes}", o => o.MaxDatagramBytes = bytes);
        }

        TimeSpan tick = TimeSpan.FromTicks(1);
        foreach (TimeSpan refresh in new[] { TimeSpan.FromSeconds(1) - tick, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1) + tick, Timeout.InfiniteTimeSpan, TimeSpan.Zero })
        {
            data.Add($"EndpointRefreshInterval {refresh}", o => o.EndpointRefreshInterval = refresh);
        }

        foreach (string url in new[] { "udp://statsd", "udp://[::1]:8125", "unixgram:///run/dsd.socket", "udp://statsd/path", "udp://statsd?x=1", "unixstream:///run/dsd.socket", "file:///run/dsd.socket" })
        {
            data.Add($"Url {url}", o => o.Url = new Uri(url));
        }

        data.Add("UnixSocketPath relative", o => o.UnixSocketPath = "dsd.socket");
        data.Add("UnixSocketPath too long", o => o.UnixSocketPath = "/" + new string('s', 107));
        data.Add("Host empty", o => o.Host = " ");
        data.Add("Dialect undefined", o => o.Dialect = (Sinks.StatsD.StatsDDialect)7);
        data.Add("Naming undefined", o => o.Naming = (Model.MetricNaming)7);
        data.Add("Etsy with a tag", o => o.GlobalTags["team"] = "payments");
        data.Add("DogStatsD with a tag", o =>
        {
            o.Dialect = Sinks.StatsD.StatsDDialect.DogStatsD;
            o.GlobalTags["team"] = "payments";
        });
        data.Add("DogStatsD with an empty tag", o =>
        {
            o.Dialect = Sinks.StatsD.StatsDDialect.DogStatsD;
            o.GlobalTags["team"] = string.Empty;
        });
        return data;
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
