using System.Text;
using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

public sealed class HttpRequestHeadTests
{
    [Fact]
    public void Reads_Method_Path_And_The_Headers_That_Matter()
    {
        byte[] head = Encoding.ASCII.GetBytes("GET /metrics?debug=1 HTTP/1.1\r\nHost: x\r\nACCEPT: text/plain\r\naccept-encoding:gzip \r\nUser-Agent: t\r\n\r\n");
        Assert.Equal(head.Length, HttpRequestHead.FindEnd(head));
        Assert.Equal(0, HttpRequestHead.Parse(head, out HttpRequestHead request));
        Assert.Equal("GET", Encoding.ASCII.GetString(request.Method));
        Assert.Equal("/metrics", Encoding.ASCII.GetString(request.Path));
        Assert.Equal("text/plain", Encoding.ASCII.GetString(request.Accept));
        Assert.Equal("gzip", Encoding.ASCII.GetString(request.AcceptEncoding));
        Assert.True(request.KeepAlive);
        Assert.False(request.HasBody);
    }

    [Theory]
    [InlineData("GET /metrics HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, close\r\n\r\n", false)]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", true)]
    public void Keeps_The_Connection_Only_For_Http11_Without_Close(string text, bool keepAlive)
    {
        Assert.Equal(0, HttpRequestHead.Parse(Encoding.ASCII.GetBytes(text), out HttpRequestHead request));
        Assert.Equal(keepAlive, request.KeepAlive);
    }

    [Theory]
    [InlineData("GET http://127.0.0.1:9464/metrics HTTP/1.1\r\nHost: x\r\n\r\n", "/metrics")]
    [InlineData("GET http://host HTTP/1.1\r\nHost: x\r\n\r\n", "/")]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "*")]
    [InlineData("GET /metrics#x HTTP/1.1\r\nHost: x\r\n\r\n", "/metrics")]
    public void Reads_The_Path_Of_Every_Request_Target_Form(string text, string path)
    {
        Assert.Equal(0, HttpRequestHead.Parse(Encoding.ASCII.GetBytes(text), out HttpRequestHead request));
        Assert.Equal(path, Encoding.ASCII.GetString(request.Path));
    }

    [Theory]
    [InlineData("GET /metrics HTTP/1.1\n\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n")]
    [InlineData("GET  /metrics HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET metrics HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("G(T /metrics HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET\r\n\r\n")]
    [InlineData("\u0001\u0002\u0003 \u0004 \u0005\r\n\r\n")]
    [InlineData("GET /metrics FTP/1.1\r\n\r\n")]
    public void Rejects_Malformed_Heads_With_400(string text) =>
        Assert.Equal(400, HttpRequestHead.Parse(Encoding.Latin1.GetBytes(text), out _));

    [Theory]
    [InlineData("PRI * HTTP/2.0\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.2\r\nHost: x\r\n\r\n")]
    public void Rejects_Other_Versions_With_505(string text) =>
        Assert.Equal(505, HttpRequestHead.Parse(Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")]
    [InlineData("POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")]
    public void Notes_A_Body_So_The_Connection_Closes_After_The_Response(string text)
    {
        Assert.Equal(0, HttpRequestHead.Parse(Encoding.ASCII.GetBytes(text), out HttpRequestHead request));
        Assert.True(request.HasBody);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n", -1)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET", 27)]
    [InlineData("GET / HTTP/1.0\n\n", 16)]
    [InlineData("GET / HTTP/1.0\n\r\n", 17)]
    public void Finds_The_End_Of_A_Head_Even_With_Bare_Line_Feeds(string text, int end) =>
        Assert.Equal(end, HttpRequestHead.FindEnd(Encoding.ASCII.GetBytes(text)));
}
