using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

/// <summary>The live page as the standalone endpoint serves it, over real sockets.</summary>
public sealed class PrometheusEndpointPageTests
{
    [Fact]
    public async Task Serves_The_Page_With_A_Strict_Content_Security_Policy()
    {
        await using PrometheusEndpoint endpoint = Start();
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        RawResponse response = await client.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("text/html; charset=utf-8", response.Headers["content-type"]);
        Assert.Equal(LivePage.ContentSecurityPolicy, response.Headers["content-security-policy"]);
        Assert.Contains("default-src 'none'", response.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", response.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
        Assert.Equal(LivePage.GetFile(string.Empty)!.Content.ToArray(), response.Body);

        // The connection stays open for the page's files.
        await client.SendAsync("GET /assets/live.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");
        RawResponse script = await client.ReadResponseAsync();
        Assert.Equal("gzip", script.Headers["content-encoding"]);
        using var gzip = new GZipStream(new MemoryStream(script.Body), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);
        Assert.Equal(LivePage.GetFile("assets/live.js")!.Content.ToArray(), plain.ToArray());
    }

    [Theory]
    [InlineData("/favicon.ico", 200)]
    [InlineData("/assets/uPlot.min.css", 200)]
    [InlineData("/assets/nothing.js", 404)]
    [InlineData("/index.htm", 404)]
    public async Task Serves_The_Page_Files_And_Nothing_Else(string path, int status)
    {
        await using PrometheusEndpoint endpoint = Start();
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(status, (await client.ReadResponseAsync()).Status);
        await client.SendAsync($"HEAD {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        RawResponse head = await client.ReadResponseAsync(head: true);
        Assert.Equal(status, head.Status);
    }

    [Fact]
    public async Task Without_The_Page_Only_The_Metrics_Path_Answers()
    {
        await using PrometheusEndpoint endpoint = Start(o => o.EnablePage = false);
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        foreach (string path in new[] { "/", "/events", "/updates", "/favicon.ico" })
        {
            await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(404, (await client.ReadResponseAsync()).Status);
        }
    }

    [Fact]
    public async Task The_Event_Stream_Sends_The_Hello_Then_Each_Sample_And_Ends_When_The_Endpoint_Stops()
    {
        PrometheusEndpoint endpoint = Start();
        using Socket socket = await ConnectAsync(endpoint);
        await SendAsync(socket, "GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
        string text = await ReadUntilAsync(socket, t => t.Split("\ndata: ").Length > 3);

        string head = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: text/event-stream; charset=utf-8\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nCache-Control: no-store\r\n", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Content-Length", head, StringComparison.Ordinal);
        Assert.Contains("\r\n\r\nretry: 1000\nevent: hello\ndata: {", text, StringComparison.Ordinal);
        Assert.Contains("\n\nid: ", text, StringComparison.Ordinal);

        await endpoint.DisposeAsync();
        await ReadUntilAsync(socket, _ => false, untilClosed: true);
    }

    [Fact]
    public async Task A_Reconnecting_Page_Resumes_After_Its_Last_Event()
    {
        await using PrometheusEndpoint endpoint = Start();
        using (Socket first = await ConnectAsync(endpoint))
        {
            await SendAsync(first, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            await ReadUntilAsync(first, t => t.Split("\nid: ").Length > 2);
        }

        string instance = Encoding.ASCII.GetString(endpoint.Page!.Instance);
        using Socket second = await ConnectAsync(endpoint);
        await SendAsync(second, $"GET /events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: {instance}-1\r\n\r\n");
        string text = await ReadUntilAsync(second, t => t.Contains($"id: {instance}-2\n", StringComparison.Ordinal));
        Assert.DoesNotContain($"id: {instance}-1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_Never_Take_The_Last_Connection_A_Scrape_Needs()
    {
        // Three connections: two may stream, the third stream is refused, and a scrape is still answered.
        await using PrometheusEndpoint endpoint = Start(o => o.MaxConnections = 3);
        using Socket first = await ConnectAsync(endpoint);
        using Socket second = await ConnectAsync(endpoint);
        await SendAsync(first, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
        await SendAsync(second, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
        await ReadUntilAsync(first, t => t.Contains("event: hello", StringComparison.Ordinal));
        await ReadUntilAsync(second, t => t.Contains("event: hello", StringComparison.Ordinal));

        using (RawHttpClient third = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!))
        {
            await third.SendAsync("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse refused = await third.ReadResponseAsync();
            Assert.Equal(503, refused.Status);
            Assert.Equal("30", refused.Headers["retry-after"]);
        }

        using RawHttpClient scrape = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await scrape.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await scrape.ReadResponseAsync()).Status);

        // A page refused a stream polls, and gets the same frames.
        await scrape.SendAsync("GET /updates HTTP/1.1\r\nHost: x\r\n\r\n");
        RawResponse updates = await scrape.ReadResponseAsync();
        Assert.Equal(200, updates.Status);
        Assert.Equal("text/event-stream; charset=utf-8", updates.Headers["content-type"]);
        Assert.StartsWith("retry: 1000\nevent: hello\n", updates.Text, StringComparison.Ordinal);
    }

    private static PrometheusEndpoint Start(Action<PrometheusEndpointOptions>? configure = null)
    {
        var options = new PrometheusEndpointOptions { Port = 0, Page = new LivePageOptions { Interval = TimeSpan.FromMilliseconds(100) } };
        configure?.Invoke(options);
        var endpoint = new PrometheusEndpoint(options);
        endpoint.Start();
        return endpoint;
    }

    private static async Task<Socket> ConnectAsync(PrometheusEndpoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, endpoint.LocalEndPoint!.Port));
        return socket;
    }

    private static async Task SendAsync(Socket socket, string text) => await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    /// <summary>Reads a stream until its text satisfies <paramref name="done"/>, or, with <paramref name="untilClosed"/>, until the server closes it.</summary>
    private static async Task<string> ReadUntilAsync(Socket socket, Func<string, bool> done, bool untilClosed = false)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var text = new StringBuilder();
        byte[] buffer = new byte[16 * 1024];
        while (!done(text.ToString()))
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (SocketException) when (untilClosed)
            {
                break;
            }

            if (received == 0)
            {
                Assert.True(untilClosed, $"The server closed the stream early; got: {text}");
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, received));
        }

        return text.ToString();
    }
}
