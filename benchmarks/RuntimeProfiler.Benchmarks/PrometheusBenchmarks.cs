using System.Buffers;
using BenchmarkDotNet.Attributes;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.Benchmarks;

/// <summary>
/// One full Prometheus exposition of the runtime: ours (the whole catalog, the pause histogram filled) against
/// prometheus-net's default registry export (its default runtime metrics: process, .NET stats, event counters
/// and meters), in the same run. Scrape adds the reading of the runtime and the copy a scrape makes.
/// </summary>
/// <remarks>Results: see docs/benchmarks.md, Prometheus section (pasted from the last run of this class).</remarks>
[MemoryDiagnoser]
[MedianColumn]
public class PrometheusBenchmarks
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> _writer = new(64 * 1024);
    private RuntimeSnapshot _snapshot = null!;
    private PrometheusTextFormatter _text = null!;
    private PrometheusTextFormatter _openMetrics = null!;
    private PrometheusScraper _scraper = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var sampler = new RuntimeSampler(TimeProvider.System);
        sampler.Start();
        _snapshot = new RuntimeSnapshot();
        sampler.Read(_snapshot, null);
        FillPauseHistogram(_snapshot);
        _text = new PrometheusTextFormatter(MetricNaming.OpenTelemetry, PrometheusFormat.Text);
        _openMetrics = new PrometheusTextFormatter(MetricNaming.OpenTelemetry, PrometheusFormat.OpenMetrics);
        _scraper = new PrometheusScraper(new PrometheusScraperOptions { MinimumSampleInterval = TimeSpan.Zero });

        // prometheus-net's default registry starts its adapters on first use; let them publish before measuring.
        Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
        Task.Delay(TimeSpan.FromSeconds(12)).GetAwaiter().GetResult();
        var probe = new MemoryStream();
#pragma warning disable CA2025 // The export completes (GetResult) before the stream is disposed below.
        Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(probe).GetAwaiter().GetResult();
#pragma warning restore CA2025
        Console.WriteLine($"// prometheus-net exposition: {probe.Length} bytes; ours: {Render(_text)} bytes (text), {Render(_openMetrics)} bytes (OpenMetrics)");
        probe.Dispose();
    }

    [GlobalCleanup]
    public void Cleanup() => _scraper.Dispose();

    /// <summary>prometheus-net 8.2.1: its default registry exported as text, as its /metrics endpoint does per scrape.</summary>
    [Benchmark(Baseline = true)]
    public void PrometheusNet_DefaultRegistry() => Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();

    /// <summary>Ours: one full exposition in the 0.0.4 text format.</summary>
    [Benchmark]
    public bool Exposition_Text() => _text.TryFormat(_snapshot, _buffer, out _);

    /// <summary>Ours: one full exposition in OpenMetrics, what Prometheus asks for.</summary>
    [Benchmark]
    public bool Exposition_OpenMetrics() => _openMetrics.TryFormat(_snapshot, _buffer, out _);

    /// <summary>Ours: a whole scrape as the endpoint serves it: read the runtime, render OpenMetrics, copy it out.</summary>
    [Benchmark]
    public int Scrape_ReadRenderCopy()
    {
        _writer.ResetWrittenCount();
        return _scraper.Scrape(PrometheusFormat.OpenMetrics, gzip: false, _writer);
    }

    private int Render(PrometheusTextFormatter formatter) => formatter.TryFormat(_snapshot, _buffer, out int written) ? written : -1;

    private static void FillPauseHistogram(RuntimeSnapshot snapshot)
    {
        // The benchmark renders the histogram as it will be once pause capture (issue 3) feeds the sampler.
        snapshot.HasHistograms = true;
        Span<long> buckets = snapshot.HistogramBucketTotals;
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = (i * 7919) % 1000;
        }

        for (int h = 0; h < snapshot.HistogramCountTotals.Length; h++)
        {
            long count = 0;
            foreach (long b in buckets.Slice(h * RuntimeSnapshot.BucketSlots, RuntimeSnapshot.BucketSlots))
            {
                count += b;
            }

            snapshot.HistogramCountTotals[h] = count;
            snapshot.HistogramSumTotals[h] = count * 0.00042;
        }
    }
}
