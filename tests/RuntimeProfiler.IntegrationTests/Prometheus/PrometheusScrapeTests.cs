using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.IntegrationTests.Prometheus;

/// <summary>
/// A real Prometheus server scrapes the standalone endpoint and the ASP.NET Core mapping of this test process;
/// the tests read back through its HTTP API what it stored and compare it with what the runtime says.
/// </summary>
[Collection(PrometheusServerGroup.Name)]
public sealed class PrometheusScrapeTests(PrometheusServerFixture prometheus)
{
    [Fact]
    public async Task Prometheus_Scrapes_The_Standalone_Endpoint_And_Stores_What_The_Runtime_Measured()
    {
        await using var endpoint = new PrometheusEndpoint(new PrometheusEndpointOptions { Port = 0 });
        endpoint.Start();
        await AssertScrapedFiguresMatchAsync(endpoint.LocalEndPoint!, "/metrics");
    }

    [Fact]
    public async Task Prometheus_Scrapes_The_AspNetCore_Endpoint_And_Stores_What_The_Runtime_Measured()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using WebApplication app = builder.Build();
        app.MapRuntimeProfilerMetrics("/internal/metrics");
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await AssertScrapedFiguresMatchAsync(new IPEndPoint(IPAddress.Loopback, address.Port), "/internal/metrics");
    }

    [Fact]
    public async Task Prometheus_Can_Take_Quantiles_Of_The_Pause_Histogram()
    {
        await using var endpoint = new PrometheusEndpoint(new PrometheusEndpointOptions { Port = 0 });
        endpoint.Start();
        using var client = new HttpClient();
        string exposition = await client.GetStringAsync(new Uri($"http://{endpoint.LocalEndPoint}/metrics"));
        Assert.SkipUnless(
            exposition.Contains("dotnet_gc_pause_duration_seconds_bucket", StringComparison.Ordinal),
            "The sampler captures no GC pauses yet (issue 3 wires pause capture into RuntimeSampler); rendering of the histogram is covered with synthetic snapshots.");

        string testId = "pauses-" + Guid.NewGuid().ToString("N");
        await prometheus.AddTargetAsync(testId, endpoint.LocalEndPoint!);
        await prometheus.WaitForAsync($"up{{test_id=\"{testId}\"}}", r => r.Count == 1 && r[0].Value == 1);
        for (int i = 0; i < 20; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }

        var quantile = await prometheus.WaitForAsync(
            $"histogram_quantile(0.99, sum by (le) (dotnet_gc_pause_duration_seconds_bucket{{test_id=\"{testId}\"}}))",
            r => r.Count == 1 && double.IsFinite(r[0].Value) && r[0].Value > 0);
        Assert.InRange(quantile[0].Value, 1e-6, 10);
    }

    private async Task AssertScrapedFiguresMatchAsync(IPEndPoint target, string path)
    {
        string testId = "t" + Guid.NewGuid().ToString("N");
        string only = $"test_id=\"{testId}\"";
        await prometheus.AddTargetAsync(testId, target, path);
        await prometheus.WaitForAsync($"up{{{only}}}", r => r.Count == 1 && r[0].Value == 1);

        int before = GC.CollectionCount(2);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        // The stored gen2 count reaches what the runtime counts now: at least the three forced collections more.
        int expected = GC.CollectionCount(2);
        Assert.True(expected >= before + 3);
        var gen2 = await prometheus.WaitForAsync(
            $"dotnet_gc_collections_total{{{only},gc_heap_generation=\"gen2\"}}",
            r => r.Count == 1 && r[0].Value >= expected);
        Assert.Equal(GC.CollectionCount(2), gen2[0].Value);

        var cpus = await prometheus.QueryAsync($"dotnet_process_cpus{{{only}}}");
        Assert.Equal(Environment.ProcessorCount, Assert.Single(cpus).Value);
        var allocated = await prometheus.QueryAsync($"dotnet_gc_heap_total_allocated_bytes_total{{{only}}}");
        Assert.InRange(Assert.Single(allocated).Value, 1, GC.GetTotalAllocatedBytes(precise: false));

        // The unit is known only from OpenMetrics' # UNIT lines: Prometheus negotiated OpenMetrics with us.
        JsonElement metadata = await prometheus.TargetMetadataAsync(testId, "dotnet_gc_heap_size_bytes");
        Assert.Equal("bytes", metadata[0].GetProperty("unit").GetString());
        Assert.Equal("gauge", metadata[0].GetProperty("type").GetString());
    }
}
