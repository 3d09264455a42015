using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

public sealed class PrometheusEndpointTests
{
    private const string PrometheusAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    [Fact]
    public void Defaults_To_Loopback_Port_9464_And_The_Metrics_Path()
    {
        var options = new PrometheusEndpointOptions();
        Assert.Equal(IPAddress.Loopback, options.Address);
        Assert.Equal(9464, options.Port);
        Assert.Equal("/metrics", options.Path);
        Assert.True(options.EnableGzip);
    }

    [Fact]
    public async Task Serves_The_Text_Format_To_A_Plain_Get()
    {
        await using PrometheusEndpoint endpoint = Start();
        using var client = new HttpClient();
        using HttpResponseMessage response = await client.GetAsync(Url(endpoint));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        string text = await response.Content.ReadAsStringAsync();
        PrometheusExposition exposition = PrometheusExposition.Parse(text, openMetrics: false);
        Assert.True(exposition["dotnet_gc_heap_total_allocated_bytes_total"] > 0);
        Assert.Equal(1, exposition["runtime_profiler_prometheus_scrapes_total"]);
        Assert.Equal(0, exposition["runtime_profiler_prometheus_rejected_total"]);
    }

    [Fact]
    public async Task Serves_OpenMetrics_To_What_Prometheus_Asks_For()
    {
        await using PrometheusEndpoint endpoint = Start();
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync($"GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: {PrometheusAccept}\r\n\r\n");
        RawResponse response = await client.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", response.Headers["content-type"]);
        Assert.Equal("Accept, Accept-Encoding", response.Headers["vary"]);
        Assert.True(response.Headers.ContainsKey("date"));
        PrometheusExposition.Parse(response.Text, openMetrics: true);
    }

    [Fact]
    public async Task Compresses_When_Asked_And_The_Body_Decompresses_To_The_Same_Exposition()
    {
        await using PrometheusEndpoint endpoint = Start(o => o.MinimumSampleInterval = PrometheusScraperOptions.MaximumSampleInterval);
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        RawResponse plain = await client.ReadResponseAsync();
        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");
        RawResponse compressed = await client.ReadResponseAsync();
        Assert.Equal("gzip", compressed.Headers["content-encoding"]);
        Assert.False(plain.Headers.ContainsKey("content-encoding"));
        Assert.True(compressed.Body.Length < plain.Body.Length / 2);
        using var gzip = new GZipStream(new MemoryStream(compressed.Body), CompressionMode.Decompress);
        using var decompressed = new MemoryStream();
        await gzip.CopyToAsync(decompressed);
        Assert.Equal(plain.Body, decompressed.ToArray());
    }

    [Fact]
    public async Task Gzip_Can_Be_Turned_Off()
    {
        await using PrometheusEndpoint endpoint = Start(o => o.EnableGzip = false);
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");
        RawResponse response = await client.ReadResponseAsync();
        Assert.False(response.Headers.ContainsKey("content-encoding"));
        PrometheusExposition.Parse(response.Text, openMetrics: false);
    }

    [Fact]
    public async Task Head_Gets_The_Headers_And_Length_Without_A_Body()
    {
        await using PrometheusEndpoint endpoint = Start(o => o.MinimumSampleInterval = PrometheusScraperOptions.MaximumSampleInterval);
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        RawResponse head = await client.ReadResponseAsync(head: true);
        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        RawResponse get = await client.ReadResponseAsync();
        Assert.Equal(200, head.Status);
        Assert.Empty(head.Body);
        Assert.Equal(get.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Headers["content-length"]);
    }

    [Theory]
    [InlineData("GET /other HTTP/1.1", 404)]
    [InlineData("GET /metrics/ HTTP/1.1", 404)]
    [InlineData("GET /Metrics HTTP/1.1", 404)]
    [InlineData("POST /other HTTP/1.1", 404)]
    [InlineData("POST /metrics HTTP/1.1", 405)]
    [InlineData("DELETE /metrics HTTP/1.1", 405)]
    [InlineData("OPTIONS * HTTP/1.1", 404)]
    public async Task Answers_404_Elsewhere_And_405_To_Other_Methods_And_Keeps_Serving(string requestLine, int status)
    {
        await using PrometheusEndpoint endpoint = Start();
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync($"{requestLine}\r\nHost: x\r\n\r\n");
        RawResponse response = await client.ReadResponseAsync();
        Assert.Equal(status, response.Status);
        if (status == 405)
        {
            Assert.Equal("GET, HEAD", response.Headers["allow"]);
        }

        // Same connection, next request.
        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task Serves_A_Custom_Path()
    {
        await using PrometheusEndpoint endpoint = Start(o => o.Path = "/internal/prom");
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"http://{endpoint.LocalEndPoint}/internal/prom"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Url(endpoint))).StatusCode);
    }

    [Fact]
    public async Task A_Port_In_Use_Fails_At_Start_Naming_The_Port()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        await using var endpoint = new PrometheusEndpoint(new PrometheusEndpointOptions { Port = port });
        IOException error = Assert.Throws<IOException>(endpoint.Start);
        Assert.Contains($"port {port} is already in use", error.Message, StringComparison.Ordinal);
        Assert.False(endpoint.IsRunning);
    }

    [Fact]
    public async Task Stops_Listening_On_Stop_And_Listens_Again_On_Start()
    {
        await using PrometheusEndpoint endpoint = Start();
        IPEndPoint first = endpoint.LocalEndPoint!;
        using (RawHttpClient idle = await RawHttpClient.ConnectAsync(first))
        {
            await endpoint.StopAsync();
            Assert.True(await idle.IsClosedByServerAsync());
        }

        Assert.Null(endpoint.LocalEndPoint);
        await Assert.ThrowsAnyAsync<SocketException>(async () => (await RawHttpClient.ConnectAsync(first)).Dispose());
        endpoint.Start();
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url(endpoint))).StatusCode);
    }

    [Fact]
    public async Task Start_After_Dispose_Throws()
    {
        PrometheusEndpoint endpoint = Start();
        await endpoint.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(endpoint.Start);
    }

    [Fact]
    public async Task Concurrent_Scrapes_All_Get_A_Whole_Exposition()
    {
        await using PrometheusEndpoint endpoint = Start(o => o.MinimumSampleInterval = TimeSpan.Zero);
        using var client = new HttpClient();
        Task<string>[] scrapes = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            string last = string.Empty;
            for (int i = 0; i < 10; i++)
            {
                last = await client.GetStringAsync(Url(endpoint));
                PrometheusExposition.Parse(last, openMetrics: false);
            }

            return last;
        }))];
        await Task.WhenAll(scrapes);
    }

    [Fact]
    public async Task More_Simultaneous_Connections_Than_The_Limit_Are_All_Served_In_Turn()
    {
        await using PrometheusEndpoint endpoint = Start(o => o.MaxConnections = 4);
        RawHttpClient[] clients = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!)));
        try
        {
            await Task.WhenAll(clients.Select(c => c.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
            foreach (RawResponse response in await Task.WhenAll(clients.Select(c => c.ReadResponseAsync())))
            {
                Assert.Equal(200, response.Status);
                PrometheusExposition.Parse(response.Text, openMetrics: false);
            }
        }
        finally
        {
            Array.ForEach(clients, c => c.Dispose());
        }
    }

    [Fact]
    public void Options_Are_Checked_At_Construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrometheusEndpoint(new PrometheusEndpointOptions { Port = 70000 }));
        Assert.Throws<ArgumentException>(() => new PrometheusEndpoint(new PrometheusEndpointOptions { Path = "metrics" }));
        Assert.Throws<ArgumentException>(() => new PrometheusEndpoint(new PrometheusEndpointOptions { Path = "/a b" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrometheusEndpoint(new PrometheusEndpointOptions { MaxConnections = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrometheusEndpoint(new PrometheusEndpointOptions { RequestTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrometheusEndpoint(new PrometheusEndpointOptions { MinimumSampleInterval = TimeSpan.FromHours(1) }));
        Assert.Throws<ArgumentNullException>(() => new PrometheusEndpoint(new PrometheusEndpointOptions { Address = null! }));
    }

    internal static PrometheusEndpoint Start(Action<PrometheusEndpointOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new PrometheusEndpointOptions { Port = 0 };
        configure?.Invoke(options);
        var endpoint = new PrometheusEndpoint(options, timeProvider ?? TimeProvider.System);
        endpoint.Start();
        return endpoint;
    }

    internal static Uri Url(PrometheusEndpoint endpoint) => new($"http://{endpoint.LocalEndPoint}/metrics");
}
