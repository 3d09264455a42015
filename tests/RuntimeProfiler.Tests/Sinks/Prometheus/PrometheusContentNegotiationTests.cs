using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

public sealed class PrometheusContentNegotiationTests
{
    [Theory]
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", PrometheusFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1", PrometheusFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text", PrometheusFormat.OpenMetrics)]
    [InlineData("Application/OpenMetrics-Text; Version=0.0.1", PrometheusFormat.OpenMetrics)]
    [InlineData("text/plain;version=0.0.4", PrometheusFormat.Text)]
    [InlineData("text/plain", PrometheusFormat.Text)]
    [InlineData("*/*", PrometheusFormat.Text)]
    [InlineData("", PrometheusFormat.Text)]
    [InlineData(null, PrometheusFormat.Text)]
    [InlineData("application/json", PrometheusFormat.Text)]
    [InlineData("application/openmetrics-text;version=2.0.0", PrometheusFormat.Text)]
    [InlineData("application/openmetrics-text;q=0, text/plain", PrometheusFormat.Text)]
    [InlineData("text/plain;q=0.9, application/openmetrics-text;q=0.5", PrometheusFormat.Text)]
    [InlineData("text/plain, application/openmetrics-text", PrometheusFormat.Text)]
    [InlineData("application/openmetrics-text;q=abc, text/plain;q=0.1", PrometheusFormat.Text)]
    [InlineData(",,;;=, ;q=1,application/openmetrics-text;;", PrometheusFormat.OpenMetrics)]
    [InlineData("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", PrometheusFormat.Text)]
    public void Picks_The_Format_The_Scraper_Prefers(string? accept, PrometheusFormat expected) =>
        Assert.Equal(expected, PrometheusScraper.NegotiateFormat(accept));

    [Theory]
    [InlineData("gzip", true)]
    [InlineData("GZIP", true)]
    [InlineData("deflate, gzip;q=0.5", true)]
    [InlineData("*", true)]
    [InlineData("x-gzip", true)]
    [InlineData("gzip;q=0", false)]
    [InlineData("identity", false)]
    [InlineData("deflate, br", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Gzip_Only_When_Asked(string? acceptEncoding, bool expected) =>
        Assert.Equal(expected, PrometheusScraper.AcceptsGzip(acceptEncoding));

    [Fact]
    public void Content_Types_Name_Version_And_Charset()
    {
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", PrometheusScraper.GetContentType(PrometheusFormat.Text));
        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", PrometheusScraper.GetContentType(PrometheusFormat.OpenMetrics));
    }
}
