using System.Net;
using Microsoft.Playwright;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Browser.Tests;

/// <summary>The live page of a standalone endpoint in this process, in a real Chromium.</summary>
public sealed class LivePageTests(BrowserFixture browser)
{
    private static readonly string[] s_charts =
    [
        "chart-heap", "chart-allocation", "chart-pauses", "chart-collections", "chart-pause-ratio",
        "chart-cpu", "chart-memory", "chart-thread-pool", "chart-locks", "chart-exceptions",
    ];

    [Fact]
    public async Task The_Page_Loads_With_No_Console_Error_And_No_Request_To_Another_Host()
    {
        await using var workload = new TestWorkload();
        await using PrometheusEndpoint endpoint = StartEndpoint();
        Uri url = PageUrl(endpoint);
        await using PageSession session = await PageSession.OpenAsync(browser.Browser, url);
        await session.WaitForPointsAsync(2);

        Assert.Empty(session.Problems);
        Assert.NotEmpty(session.Requests);
        Assert.All(session.Requests, request => Assert.Equal(url.Authority, new Uri(request).Authority));
        Assert.Contains(session.Requests, r => r.EndsWith("/assets/uPlot.iife.min.js", StringComparison.Ordinal));
        Assert.Contains(session.Requests, r => r.EndsWith("/favicon.svg", StringComparison.Ordinal));
        Assert.Equal("live", await session.Page.Locator("#status").TextContentAsync());
    }

    [Fact]
    public async Task Every_Chart_Has_Data_After_Two_Samples()
    {
        await using var workload = new TestWorkload();
        await using PrometheusEndpoint endpoint = StartEndpoint();
        await using PageSession session = await PageSession.OpenAsync(browser.Browser, PageUrl(endpoint));
        await session.WaitForPointsAsync(2);

        Dictionary<string, int> points = await session.PointsAsync();
        Assert.Equal(s_charts.Order(StringComparer.Ordinal), points.Keys.Order(StringComparer.Ordinal));
        Assert.All(points, chart => Assert.True(chart.Value >= 2, $"{chart.Key} shows {chart.Value} samples"));
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), await session.Page.Locator("#process-pid").TextContentAsync());
        Assert.Contains(".NET", await session.Page.Locator("#process-runtime").TextContentAsync(), StringComparison.Ordinal);

        // Each chart draws on its canvas: uPlot sized it to the card.
        foreach (string chart in s_charts)
        {
            LocatorBoundingBoxResult? box = await session.Page.Locator($"#{chart} canvas").BoundingBoxAsync();
            Assert.True(box is { Width: > 300, Height: > 100 }, $"{chart}'s canvas is {box?.Width}x{box?.Height}");
        }
    }

    [Fact]
    public async Task A_New_Sample_Shows_Up_Without_A_Reload()
    {
        await using var workload = new TestWorkload();
        await using PrometheusEndpoint endpoint = StartEndpoint();
        await using PageSession session = await PageSession.OpenAsync(browser.Browser, PageUrl(endpoint));
        await session.WaitForPointsAsync(2);
        await session.Page.EvaluateAsync("() => { window.sameDocument = true; }");
        int before = (await session.PointsAsync())["chart-allocation"];

        await session.WaitForPointsAsync(before + 1);

        Assert.True(await session.Page.EvaluateAsync<bool>("() => window.sameDocument === true"), "The page was reloaded.");
        Assert.Single(await session.Page.EvaluateAsync<int[]>("() => performance.getEntriesByType('navigation').map(() => 1)"));
        Assert.Empty(session.Problems);
    }

    [Fact]
    public async Task The_Stream_Resumes_After_The_Endpoint_Restarts()
    {
        await using var workload = new TestWorkload();
        PrometheusEndpoint first = StartEndpoint();
        int port = first.LocalEndPoint!.Port;
        await using PageSession session = await PageSession.OpenAsync(browser.Browser, PageUrl(first));
        await session.WaitForPointsAsync(2);
        string firstInstance = await session.Page.EvaluateAsync<string>("() => document.documentElement.dataset.instance");
        await session.Page.EvaluateAsync("() => { window.sameDocument = true; }");

        session.EndpointStopping = true;
        await first.DisposeAsync();
        await session.Page.WaitForFunctionAsync("() => document.getElementById('status').textContent !== 'live'");

        // A new endpoint (a restarted process, as far as the page can tell) on the same port.
        await using PrometheusEndpoint second = StartEndpoint(port);
        await session.Page.WaitForFunctionAsync("i => document.documentElement.dataset.instance !== i", firstInstance);
        session.EndpointStopping = false;
        await session.WaitForPointsAsync(2);

        Assert.Equal("live", await session.Page.Locator("#status").TextContentAsync());
        Assert.True(await session.Page.EvaluateAsync<bool>("() => window.sameDocument === true"), "The page was reloaded.");
        Assert.Empty(session.Problems);
    }

    [Fact]
    public async Task A_Page_That_Cannot_Stream_Polls_And_Still_Moves()
    {
        // One connection: streams may not take it (scrapes must find a slot), so the stream is refused with 503.
        await using var workload = new TestWorkload();
        await using PrometheusEndpoint endpoint = StartEndpoint(configure: o => o.MaxConnections = 1);
        await using PageSession session = await PageSession.OpenAsync(browser.Browser, PageUrl(endpoint));
        session.EndpointStopping = true; // the refused stream shows on the console as a failed request, by design
        await session.WaitForPointsAsync(2);
        int before = (await session.PointsAsync())["chart-cpu"];
        await session.WaitForPointsAsync(before + 1);

        Assert.Equal("polling", await session.Page.Locator("#status").TextContentAsync());
        Assert.Contains(session.Requests, r => r.EndsWith("/updates", StringComparison.Ordinal));
    }

    private static PrometheusEndpoint StartEndpoint(int port = 0, Action<PrometheusEndpointOptions>? configure = null)
    {
        var options = new PrometheusEndpointOptions { Port = port, Page = new LivePageOptions { Interval = TimeSpan.FromMilliseconds(200) } };
        configure?.Invoke(options);
        var endpoint = new PrometheusEndpoint(options);
        endpoint.Start();
        return endpoint;
    }

    private static Uri PageUrl(PrometheusEndpoint endpoint) => new($"http://{new IPEndPoint(IPAddress.Loopback, endpoint.LocalEndPoint!.Port)}/");
}
