using System.Buffers;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

public sealed class PrometheusScraperTests
{
    [Fact]
    public void Scrapes_Within_The_Minimum_Interval_Share_One_Reading()
    {
        var clock = new FakeTimeProvider();
        using var scraper = new PrometheusScraper(new PrometheusScraperOptions { MinimumSampleInterval = TimeSpan.FromMilliseconds(100) }, clock, null);
        scraper.StartSampler();
        Assert.Equal(1, Scrapes(Scrape(scraper)));
        Assert.Equal(1, Scrapes(Scrape(scraper)));
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(1, Scrapes(Scrape(scraper)));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(4, Scrapes(Scrape(scraper)));
    }

    [Fact]
    public void A_Zero_Interval_Reads_On_Every_Scrape()
    {
        var clock = new FakeTimeProvider();
        using var scraper = new PrometheusScraper(new PrometheusScraperOptions { MinimumSampleInterval = TimeSpan.Zero }, clock, null);
        scraper.StartSampler();
        Assert.Equal(1, Scrapes(Scrape(scraper)));
        Assert.Equal(2, Scrapes(Scrape(scraper)));
    }

    [Fact]
    public void Counters_Are_Running_Totals_That_Follow_The_Runtime()
    {
        using var scraper = new PrometheusScraper(new PrometheusScraperOptions { MinimumSampleInterval = TimeSpan.Zero });
        double before = Parse(Scrape(scraper))["dotnet_gc_heap_total_allocated_bytes_total"];
        GC.KeepAlive(new byte[1024 * 1024]);
        Assert.True(Parse(Scrape(scraper))["dotnet_gc_heap_total_allocated_bytes_total"] >= before + (1024 * 1024));
    }

    [Fact]
    public void The_Gzip_Body_Decompresses_To_The_Plain_One_Of_The_Same_Reading()
    {
        using var scraper = new PrometheusScraper(new PrometheusScraperOptions { MinimumSampleInterval = PrometheusScraperOptions.MaximumSampleInterval });
        foreach (PrometheusFormat format in new[] { PrometheusFormat.Text, PrometheusFormat.OpenMetrics })
        {
            byte[] plain = Scrape(scraper, format);
            byte[] compressed = Scrape(scraper, format, gzip: true);
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            Assert.Equal(plain, output.ToArray());
        }
    }

    [Fact]
    public void Renders_The_Original_Names_When_Asked()
    {
        using var scraper = new PrometheusScraper(new PrometheusScraperOptions { Naming = MetricNaming.Original });
        PrometheusExposition exposition = Parse(Scrape(scraper));
        Assert.True(exposition["runtime_mem_heap_alloc_bytes"] > 0);
        Assert.DoesNotContain(exposition.Samples.Keys, k => k.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_Scrapes_Each_Get_A_Whole_Exposition()
    {
        using var scraper = new PrometheusScraper(new PrometheusScraperOptions { MinimumSampleInterval = TimeSpan.Zero });
        await Parallel.ForAsync(0, 200, (i, _) =>
        {
            var format = (PrometheusFormat)(i % 2);
            PrometheusExposition.Parse(Encoding.UTF8.GetString(Scrape(scraper, format)), format == PrometheusFormat.OpenMetrics);
            return ValueTask.CompletedTask;
        });
    }

    [Fact]
    public void Scraping_After_Dispose_Throws_And_Bad_Arguments_Are_Refused()
    {
        var scraper = new PrometheusScraper();
        Assert.Throws<ArgumentNullException>(() => scraper.Scrape(PrometheusFormat.Text, false, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => scraper.Scrape((PrometheusFormat)7, false, new ArrayBufferWriter<byte>()));
        scraper.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Scrape(scraper));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrometheusScraper(new PrometheusScraperOptions { MinimumSampleInterval = TimeSpan.FromSeconds(-1) }));
    }

    private static byte[] Scrape(PrometheusScraper scraper, PrometheusFormat format = PrometheusFormat.Text, bool gzip = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        int written = scraper.Scrape(format, gzip, buffer);
        Assert.Equal(buffer.WrittenCount, written);
        return buffer.WrittenSpan.ToArray();
    }

    private static PrometheusExposition Parse(byte[] body) => PrometheusExposition.Parse(Encoding.UTF8.GetString(body), openMetrics: false);

    private static double Scrapes(byte[] body) => Parse(body)["runtime_profiler_prometheus_scrapes_total"];
}
