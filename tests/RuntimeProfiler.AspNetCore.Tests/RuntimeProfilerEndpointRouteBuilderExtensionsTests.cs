using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.AspNetCore.Tests;

/// <summary>The mapping in a real app on Kestrel, on a loopback port chosen at run time, read with a real HTTP client.</summary>
public sealed class RuntimeProfilerEndpointRouteBuilderExtensionsTests
{
    private const string PrometheusAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    [Fact]
    public async Task Serves_The_Text_Format_By_Default()
    {
        await using WebApplication app = await StartAsync(a => a.MapRuntimeProfilerMetrics());
        using var client = new HttpClient { BaseAddress = Address(app) };
        using HttpResponseMessage response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        PrometheusExposition exposition = PrometheusExposition.Parse(await response.Content.ReadAsStringAsync(), openMetrics: false);
        Assert.True(exposition["dotnet_gc_heap_total_allocated_bytes_total"] > 0);
        Assert.Equal(1, exposition["runtime_profiler_prometheus_scrapes_total"]);
        Assert.DoesNotContain("runtime_profiler_prometheus_rejected_total", exposition.Samples.Keys);
    }

    [Fact]
    public async Task Serves_OpenMetrics_Gzipped_To_Prometheus()
    {
        await using WebApplication app = await StartAsync(a => a.MapRuntimeProfilerMetrics());
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None, CheckCertificateRevocationList = true };
        using var client = new HttpClient(handler) { BaseAddress = Address(app) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", PrometheusAccept);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        PrometheusExposition.Parse(await reader.ReadToEndAsync(), openMetrics: true);
    }

    [Fact]
    public async Task Head_Has_No_Body_Other_Methods_Get_405_And_Other_Paths_404()
    {
        await using WebApplication app = await StartAsync(a => a.MapRuntimeProfilerMetrics("/internal/metrics"));
        using var client = new HttpClient { BaseAddress = Address(app) };
        using HttpResponseMessage head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/internal/metrics"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        using HttpResponseMessage post = await client.PostAsync(new Uri("/internal/metrics", UriKind.Relative), new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        using HttpResponseMessage other = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Takes_The_Naming_And_Interval_From_Its_Options()
    {
        await using WebApplication app = await StartAsync(a => a.MapRuntimeProfilerMetrics("/metrics", o =>
        {
            o.Naming = MetricNaming.Original;
            o.MinimumSampleInterval = PrometheusScraperOptions.MaximumSampleInterval;
        }));
        using var client = new HttpClient { BaseAddress = Address(app) };
        string first = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        string second = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.True(PrometheusExposition.Parse(first, openMetrics: false)["runtime_mem_heap_alloc_bytes"] > 0);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Concurrent_Scrapes_Each_Get_A_Whole_Exposition()
    {
        await using WebApplication app = await StartAsync(a => a.MapRuntimeProfilerMetrics("/metrics", o => o.MinimumSampleInterval = TimeSpan.Zero));
        using var client = new HttpClient { BaseAddress = Address(app) };
        string[] bodies = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => client.GetStringAsync(new Uri("/metrics", UriKind.Relative))));
        Assert.All(bodies, b => PrometheusExposition.Parse(b, openMetrics: false));
    }

    [Fact]
    public void Bad_Arguments_Are_Refused()
    {
        WebApplication app = WebApplication.CreateBuilder().Build();
        Assert.Throws<ArgumentNullException>(() => app.MapRuntimeProfilerMetrics(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => app.MapRuntimeProfilerMetrics("/metrics", o => o.MinimumSampleInterval = TimeSpan.FromDays(1)));
    }

    internal static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    internal static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
