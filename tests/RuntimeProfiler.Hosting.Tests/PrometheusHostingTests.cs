using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Hosting.Tests;

/// <summary>The Prometheus sink in a real host, scraped over real HTTP on a loopback port chosen at run time.</summary>
public sealed class PrometheusHostingTests
{
    [Fact]
    public async Task Configuration_Alone_Serves_Metrics_While_The_Host_Runs_And_Stops_Listening_With_It()
    {
        var logs = new LogCollector();
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Sinks:Prometheus:Address"] = "127.0.0.1",
                ["RuntimeProfiler:Sinks:Prometheus:Port"] = "0",
                ["RuntimeProfiler:Sinks:Prometheus:Path"] = "/internal/metrics",
                ["RuntimeProfiler:Sinks:Prometheus:MinimumSampleInterval"] = "00:00:00",
            },
            services => services.AddRuntimeProfiler(),
            logs);
        await host.StartAsync();
        RuntimeProfilerHostedService service = HostFixture.HostedService(host);
        PrometheusEndpoint endpoint = Assert.Single(service.Running.Select(s => s.Owned).OfType<PrometheusEndpoint>());
        IPEndPoint address = endpoint.LocalEndPoint!;
        Assert.Equal(IPAddress.Loopback, address.Address);
        Assert.NotEqual(0, address.Port);

        // The endpoint reads the runtime at scrape time: no sampling thread runs for it.
        Assert.Null(service.Profiler);
        string url = $"http://127.0.0.1:{address.Port}/internal/metrics";
        Assert.Contains(logs.Entries, e => e.Id.Id == 5 && e.Message.EndsWith(url, StringComparison.Ordinal));

        using var client = new HttpClient();
        PrometheusExposition first = PrometheusExposition.Parse(await client.GetStringAsync(new Uri(url)), openMetrics: false);
        byte[] allocated = new byte[16 << 20];
        PrometheusExposition second = PrometheusExposition.Parse(await client.GetStringAsync(new Uri(url)), openMetrics: false);
        GC.KeepAlive(allocated);
        Assert.True(
            second["dotnet_gc_heap_total_allocated_bytes_total"] - first["dotnet_gc_heap_total_allocated_bytes_total"] >= allocated.Length,
            "The 16 MB allocated between two scrapes is in the second one's allocation counter.");
        Assert.Equal(1, first["runtime_profiler_prometheus_scrapes_total"]);
        Assert.Equal(2, second["runtime_profiler_prometheus_scrapes_total"]);
        Assert.Equal(Environment.ProcessorCount, second["dotnet_process_cpus"]);

        await host.StopAsync();
        Assert.False(endpoint.IsRunning);
        Assert.Empty(service.Running);
        HttpRequestException refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri(url)));
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(refused.InnerException).SocketErrorCode);
    }

    [Fact]
    public async Task Code_Settings_Apply_After_Configuration_And_The_Profiler_Runs_Beside_The_Endpoint()
    {
        string path = HostFixture.TempFile();
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Interval"] = "00:00:00.020", ["RuntimeProfiler:Sinks:Prometheus:Port"] = "0", ["RuntimeProfiler:Sinks:Prometheus:Naming"] = "OpenTelemetry" },
            services => services.AddRuntimeProfiler(b => b.AddJsonLines(o => o.Output = path).AddPrometheus(o => o.Naming = MetricNaming.Original)));
        await host.StartAsync();
        RuntimeProfilerHostedService service = HostFixture.HostedService(host);
        PrometheusEndpoint endpoint = Assert.Single(service.Running.Select(s => s.Owned).OfType<PrometheusEndpoint>());
        Assert.NotNull(service.Profiler);
        await HostFixture.WaitForAsync(() => HostFixture.Lines(path).Length >= 2);

        using var client = new HttpClient();
        string body = await client.GetStringAsync(new Uri($"http://127.0.0.1:{endpoint.LocalEndPoint!.Port}/metrics"));
        Assert.True(PrometheusExposition.Parse(body, openMetrics: false)["runtime_mem_heap_alloc_bytes"] > 0);
        await host.StopAsync();
        Assert.False(endpoint.IsRunning);
        File.Delete(path);
    }

    [Fact]
    public async Task A_Port_In_Use_Fails_The_Start_Naming_The_Port_And_Leaves_Nothing_Running()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        string path = HostFixture.TempFile();
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:Json:Output"] = path, ["RuntimeProfiler:Sinks:Prometheus:Port"] = $"{port}" },
            services => services.AddRuntimeProfiler());

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.StartsWith("RuntimeProfiler:Sinks:Prometheus: ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"port {port} is already in use", e.Message, StringComparison.Ordinal);
        RuntimeProfilerHostedService service = HostFixture.HostedService(host);
        Assert.Null(service.Profiler);
        Assert.Empty(service.Running);
        Assert.Empty(HostFixture.Lines(path));
        File.Delete(path);
    }

    [Fact]
    public async Task An_Address_Not_Of_This_Machine_Fails_The_Start_Naming_It()
    {
        // 192.0.2.0/24 is reserved for documentation (RFC 5737): never an address of this machine.
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:Prometheus:Address"] = "192.0.2.1", ["RuntimeProfiler:Sinks:Prometheus:Port"] = "0" },
            services => services.AddRuntimeProfiler());
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.StartsWith("RuntimeProfiler:Sinks:Prometheus: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("192.0.2.1 is not an address of this machine", e.Message, StringComparison.Ordinal);
        Assert.Empty(HostFixture.HostedService(host).Running);
    }

    [Fact]
    public async Task Configuration_Can_Switch_Off_The_Endpoint_Added_In_Code()
    {
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:Prometheus:Enabled"] = "false", ["RuntimeProfiler:Sinks:Meter:Enabled"] = "true" },
            services => services.AddRuntimeProfiler(b => b.AddPrometheus(o => o.Port = 0)));
        await host.StartAsync();
        Assert.Empty(HostFixture.HostedService(host).Running.Select(s => s.Owned).OfType<PrometheusEndpoint>());
        await host.StopAsync();
    }

    [Fact]
    public void Every_Setting_Binds_From_Configuration()
    {
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Sinks:Prometheus:Address"] = "::",
                ["RuntimeProfiler:Sinks:Prometheus:Port"] = "9100",
                ["RuntimeProfiler:Sinks:Prometheus:Path"] = "/runtime",
                ["RuntimeProfiler:Sinks:Prometheus:Naming"] = "original",
                ["RuntimeProfiler:Sinks:Prometheus:MinimumSampleInterval"] = "00:00:01",
                ["RuntimeProfiler:Sinks:Prometheus:EnableGzip"] = "false",
                ["RuntimeProfiler:Sinks:Prometheus:MaxConnections"] = "4",
                ["RuntimeProfiler:Sinks:Prometheus:MaxRequestHeaderBytes"] = "2048",
                ["RuntimeProfiler:Sinks:Prometheus:RequestTimeout"] = "00:00:03",
                ["RuntimeProfiler:Sinks:Prometheus:KeepAliveTimeout"] = "00:00:30",
                ["RuntimeProfiler:Sinks:Prometheus:EnablePage"] = "false",
            },
            services => services.AddRuntimeProfiler());
        PrometheusEndpointOptions options = host.Services.GetRequiredService<IOptions<PrometheusEndpointOptions>>().Value;
        Assert.Equal(IPAddress.IPv6Any, options.Address);
        Assert.Equal(9100, options.Port);
        Assert.Equal("/runtime", options.Path);
        Assert.Equal(MetricNaming.Original, options.Naming);
        Assert.Equal(TimeSpan.FromSeconds(1), options.MinimumSampleInterval);
        Assert.False(options.EnableGzip);
        Assert.Equal(4, options.MaxConnections);
        Assert.Equal(2048, options.MaxRequestHeaderBytes);
        Assert.Equal(TimeSpan.FromSeconds(3), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.KeepAliveTimeout);
        Assert.False(options.EnablePage);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.OK)]
    [InlineData("false", HttpStatusCode.NotFound)]
    public async Task The_Live_Page_Is_Served_Beside_Metrics_Unless_Configuration_Turns_It_Off(string? enablePage, HttpStatusCode expected)
    {
        var settings = new Dictionary<string, string?> { ["RuntimeProfiler:Sinks:Prometheus:Port"] = "0" };
        if (enablePage is not null)
        {
            settings["RuntimeProfiler:Sinks:Prometheus:EnablePage"] = enablePage;
        }

        using IHost host = HostFixture.Build(settings, services => services.AddRuntimeProfiler());
        await host.StartAsync();
        PrometheusEndpoint endpoint = Assert.Single(HostFixture.HostedService(host).Running.Select(s => s.Owned).OfType<PrometheusEndpoint>());
        using var client = new HttpClient();
        using HttpResponseMessage page = await client.GetAsync(new Uri($"http://127.0.0.1:{endpoint.LocalEndPoint!.Port}/"));
        Assert.Equal(expected, page.StatusCode);
        await host.StopAsync();
    }
}
