using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.AspNetCore.Tests;

/// <summary><c>MapRuntimeProfilerPage</c> in a real app on Kestrel, read with a real HTTP client.</summary>
public sealed class LivePageMappingTests
{
    [Fact]
    public async Task Serves_The_Page_Under_Its_Path_With_A_Strict_Content_Security_Policy()
    {
        await using WebApplication app = await RuntimeProfilerEndpointRouteBuilderExtensionsTests.StartAsync(a => a.MapRuntimeProfilerPage());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CheckCertificateRevocationList = true }) { BaseAddress = RuntimeProfilerEndpointRouteBuilderExtensionsTests.Address(app) };

        // Without the trailing slash, the page's relative links would miss: it redirects.
        using HttpResponseMessage bare = await client.GetAsync(new Uri("/runtime-profiler", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/runtime-profiler/", bare.Headers.Location!.ToString());

        using HttpResponseMessage page = await client.GetAsync(new Uri("/runtime-profiler/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        Assert.Equal(LivePage.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(LivePage.GetFile(string.Empty)!.Content.ToArray(), await page.Content.ReadAsByteArrayAsync());

        using HttpResponseMessage script = await client.GetAsync(new Uri("/runtime-profiler/assets/uPlot.iife.min.js", UriKind.Relative));
        Assert.Equal(LivePage.GetFile("assets/uPlot.iife.min.js")!.Content.ToArray(), await script.Content.ReadAsByteArrayAsync());
        using HttpResponseMessage missing = await client.GetAsync(new Uri("/runtime-profiler/assets/other.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Streams_Samples_As_Server_Sent_Events_And_Answers_Polls()
    {
        await using WebApplication app = await RuntimeProfilerEndpointRouteBuilderExtensionsTests.StartAsync(a => a.MapRuntimeProfilerPage("/internal/runtime", o => o.Interval = TimeSpan.FromMilliseconds(100)));
        using var client = new HttpClient { BaseAddress = RuntimeProfilerEndpointRouteBuilderExtensionsTests.Address(app) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/internal/runtime/events");
        using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        string text = await ReadUntilAsync(stream, t => t.Split("\nid: ").Length > 2);
        Assert.StartsWith("retry: 1000\nevent: hello\ndata: {", text, StringComparison.Ordinal);

        using HttpResponseMessage updates = await client.GetAsync(new Uri("/internal/runtime/updates", UriKind.Relative));
        Assert.Equal("text/event-stream; charset=utf-8", updates.Content.Headers.ContentType!.ToString());
        Assert.Contains("event: hello", await updates.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Stream_Beyond_The_Limit_Gets_503_And_The_Page_Polls()
    {
        await using WebApplication app = await RuntimeProfilerEndpointRouteBuilderExtensionsTests.StartAsync(a => a.MapRuntimeProfilerPage("/", o => o.MaxStreams = 1));
        using var client = new HttpClient { BaseAddress = RuntimeProfilerEndpointRouteBuilderExtensionsTests.Address(app) };
        using HttpResponseMessage first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/events"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using HttpResponseMessage second = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/events"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal("30", second.Headers.RetryAfter!.ToString());
    }

    private static async Task<string> ReadUntilAsync(Stream stream, Func<string, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var text = new StringBuilder();
        byte[] buffer = new byte[16 * 1024];
        while (!done(text.ToString()))
        {
            int read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"The stream ended early; got: {text}");
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
