using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

/// <summary>
/// What clients can do to the endpoint: malformed and oversized requests, slow and silent clients, too many
/// connections, clients that leave mid-exchange. After each, the endpoint still serves; deadlines run on a
/// fake clock, so no test waits for a timeout in real time.
/// </summary>
public sealed class PrometheusEndpointBadInputTests
{
    [Theory]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n", 400)]
    [InlineData("GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505)]
    [InlineData("GET /metrics\r\n\r\n", 400)]
    public async Task Malformed_Requests_Get_An_Error_And_A_Closed_Connection(string request, int status)
    {
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start();
        using (RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!))
        {
            await client.SendAsync(request);
            RawResponse response = await client.ReadResponseAsync();
            Assert.Equal(status, response.Status);
            Assert.Equal("close", response.Headers["connection"]);
            Assert.True(await client.IsClosedByServerAsync());
        }

        Assert.Equal(1, (await ScrapeAsync(endpoint))["runtime_profiler_prometheus_rejected_total"]);
    }

    [Fact]
    public async Task A_Request_Head_Larger_Than_The_Limit_Gets_431()
    {
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start(o => o.MaxRequestHeaderBytes = 4096);
        using (RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!))
        {
            await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 64 * 1024) + "\r\n\r\n");
            RawResponse response = await client.ReadResponseAsync();
            Assert.Equal(431, response.Status);
            Assert.True(await client.IsClosedByServerAsync());
        }

        await ScrapeAsync(endpoint);
    }

    [Fact]
    public async Task A_Client_Sending_Its_Request_Slowly_Is_Cut_Off_At_The_Request_Timeout()
    {
        var clock = new FakeTimeProvider();
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start(o => o.RequestTimeout = TimeSpan.FromSeconds(10), clock);
        using (RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!))
        {
            await client.SendAsync("GET /metrics HTTP/1.1\r\nHo");
            Task<bool> closed = client.IsClosedByServerAsync();
            await AdvanceUntilAsync(clock, closed, TimeSpan.FromSeconds(1), async () => await client.SendAsync("s"));
            Assert.True(await closed);
        }

        Assert.Equal(1, (await ScrapeAsync(endpoint))["runtime_profiler_prometheus_rejected_total"]);
    }

    [Fact]
    public async Task A_Silent_Connection_And_An_Idle_Kept_Alive_One_Are_Closed()
    {
        var clock = new FakeTimeProvider();
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start(o => o.KeepAliveTimeout = TimeSpan.FromSeconds(30), clock);
        using RawHttpClient silent = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        using RawHttpClient kept = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await kept.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await kept.ReadResponseAsync()).Status);
        Task<bool> both = Task.WhenAll(silent.IsClosedByServerAsync(), kept.IsClosedByServerAsync()).ContinueWith(t => t.Result.All(c => c), TaskScheduler.Default);
        await AdvanceUntilAsync(clock, both, TimeSpan.FromSeconds(5));
        Assert.True(await both);
    }

    [Fact]
    public async Task At_The_Connection_Limit_Idle_Kept_Alive_Connections_Make_Room()
    {
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start(o => o.MaxConnections = 2);
        using RawHttpClient first = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        using RawHttpClient second = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await ServeOneAsync(first);
        await ServeOneAsync(second);
        using RawHttpClient third = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await ServeOneAsync(third);

        // Whichever had been waiting for its next request for the whole grace when the third needed a slot is
        // closed; once a slot is free the other stays open. Which one that is depends on when each connection's
        // server side went back to waiting after its response, so only "one of them" is asserted.
        Task<bool> firstClosed = first.IsClosedByServerAsync();
        Task<bool> secondClosed = second.IsClosedByServerAsync();
        Assert.True(await await Task.WhenAny(firstClosed, secondClosed));
        Assert.Equal(0, PrometheusExposition.Parse(await ScrapeOnAsync(third), openMetrics: false)["runtime_profiler_prometheus_rejected_total"]);

        // The wait on the one left open ends when its socket is closed here.
        first.Dispose();
        second.Dispose();
        await ((Task)Task.WhenAll(firstClosed, secondClosed)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    [Fact]
    public async Task At_The_Connection_Limit_A_Busy_Kept_Alive_Client_Is_Told_To_Close_Not_Cut_Off()
    {
        // The clock stands still: the kept-alive connection is never idle long enough to be aborted.
        var clock = new FakeTimeProvider();
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start(o => o.MaxConnections = 1, clock);
        using RawHttpClient busy = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await ServeOneAsync(busy);
        using RawHttpClient waiting = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await waiting.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Task<RawResponse> answer = waiting.ReadResponseAsync();
        Assert.True(SpinWait.SpinUntil(() => endpoint.HasWaitingConnections, TimeSpan.FromSeconds(30)));

        // Its next request is answered in full, with Connection: close, and the slot passes on.
        await busy.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        RawResponse last = await busy.ReadResponseAsync();
        Assert.Equal(200, last.Status);
        Assert.Equal("close", last.Headers["connection"]);
        Assert.True(await busy.IsClosedByServerAsync());
        Assert.Equal(200, (await answer.WaitAsync(TimeSpan.FromSeconds(30))).Status);
    }

    [Fact]
    public async Task At_The_Connection_Limit_New_Connections_Wait_For_A_Busy_One_To_Finish()
    {
        var clock = new FakeTimeProvider();
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start(o => o.MaxConnections = 1, clock);
        using RawHttpClient slow = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await slow.SendAsync("GET /metrics HTTP/1.1\r\nHo");
        using RawHttpClient waiting = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await waiting.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Task<RawResponse> answer = waiting.ReadResponseAsync();
        Assert.False(answer.IsCompleted);

        // The slow client runs out of time; its slot goes to the waiting one.
        await AdvanceUntilAsync(clock, answer, TimeSpan.FromSeconds(1));
        Assert.Equal(200, (await answer).Status);
        Assert.True(await slow.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Clients_That_Leave_Without_Reading_Or_Mid_Request_Are_Harmless()
    {
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start(o => o.MinimumSampleInterval = TimeSpan.Zero);
        for (int i = 0; i < 200; i++)
        {
            using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
            await client.SendAsync(i % 2 == 0 ? "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n" : "GET /metr");

            // A reset instead of an orderly close, while the server is writing or still reading.
            client.Socket.LingerState = new LingerOption(true, 0);
        }

        await ScrapeAsync(endpoint);
    }

    [Fact]
    public async Task A_Flood_Of_Connections_Leaves_The_Endpoint_Serving()
    {
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start(o => o.MaxConnections = 4);
        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
            if (i % 4 == 0)
            {
                await client.SendAsync("GET /metrics HTTP/1.0\r\n\r\n");
            }
        });

        await ScrapeAsync(endpoint);
    }

    [Fact]
    public async Task Pipelined_Requests_Are_Answered_In_Order()
    {
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start();
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync("GET /nope HTTP/1.1\r\nHost: x\r\n\r\nHEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(404, (await client.ReadResponseAsync()).Status);
        Assert.Equal(200, (await client.ReadResponseAsync(head: true)).Status);
        PrometheusExposition.Parse((await client.ReadResponseAsync()).Text, openMetrics: false);
    }

    [Fact]
    public async Task A_Request_With_A_Body_Is_Answered_And_The_Connection_Closed()
    {
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start();
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        RawResponse response = await client.ReadResponseAsync();
        Assert.Equal(405, response.Status);
        Assert.Equal("close", response.Headers["connection"]);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Http10_Gets_Its_Response_And_A_Close()
    {
        await using PrometheusEndpoint endpoint = PrometheusEndpointTests.Start();
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        await client.SendAsync("GET /metrics HTTP/1.0\r\n\r\n");
        RawResponse response = await client.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Headers["connection"]);
        Assert.True(await client.IsClosedByServerAsync());
    }

    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Task done, TimeSpan step, Func<Task>? between = null)
    {
        // Bounded: a connection that never closes fails the test when the client's own 30 s read limit fires.
        while (!done.IsCompleted)
        {
            clock.Advance(step);
            if (between is not null && !done.IsCompleted)
            {
                try
                {
                    await between();
                }
                catch (SocketException)
                {
                    // The server closed the connection between two steps.
                }
            }

            await Task.WhenAny(done, Task.Delay(20));
        }
    }

    private static async Task ServeOneAsync(RawHttpClient client)
    {
        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
    }

    private static async Task<string> ScrapeOnAsync(RawHttpClient client)
    {
        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        RawResponse response = await client.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        return Encoding.UTF8.GetString(response.Body);
    }

    private static async Task<PrometheusExposition> ScrapeAsync(PrometheusEndpoint endpoint)
    {
        using RawHttpClient client = await RawHttpClient.ConnectAsync(endpoint.LocalEndPoint!);
        return PrometheusExposition.Parse(await ScrapeOnAsync(client), openMetrics: false);
    }
}
