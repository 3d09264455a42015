using System.Buffers;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Prometheus;
using RuntimeProfiling.Benchmarks.Peers;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Benchmarks;

/// <summary>
/// One full collection of runtime figures by each peer, in one class so every ratio is taken on the same
/// machine state: ours, the raw reads under it (the floor), the runtime's System.Runtime meter through a
/// MeterListener, OpenTelemetry's runtime instrumentation with the in-memory exporter, prometheus-net's
/// default registry exported as text, and a Process-based sampler.
/// </summary>
/// <remarks>Results: docs/benchmarks.md, section "Side by side with the peers".</remarks>
[MemoryDiagnoser]
[MedianColumn]
public class PeerBenchmarks
{
    private RawRuntimeReads _floor = null!;
    private RuntimeSampler _sampler = null!;
    private RuntimeSnapshot _current = null!;
    private RuntimeSnapshot _previous = null!;
    private JsonLinesSink _json = null!;
    private StatsDSink _statsd = null!;
    private PrometheusScraper _scraper = null!;
    private ArrayBufferWriter<byte> _exposition = null!;
    private SystemRuntimeMeterReader _systemRuntime = null!;
    private MeterProvider _openTelemetry = null!;
    private List<Metric> _exported = null!;
    private CollectorRegistry _prometheusNet = null!;
    private MemoryStream _prometheusNetOutput = null!;

    [GlobalSetup]
    public void Setup()
    {
        _floor = new RawRuntimeReads();
        _sampler = new RuntimeSampler(TimeProvider.System);
        _sampler.Start();
        _current = new RuntimeSnapshot();
        _previous = new RuntimeSnapshot();
        _sampler.Read(_previous, null);
        _json = new JsonLinesSink(Stream.Null);
        _statsd = new StatsDSink(new StatsDSinkOptions(), TimeProvider.System, _ => new NullStatsDTransport());
        _scraper = new PrometheusScraper(new PrometheusScraperOptions { MinimumSampleInterval = TimeSpan.Zero });
        _exposition = new ArrayBufferWriter<byte>(64 * 1024);
        _systemRuntime = new SystemRuntimeMeterReader();
        _exported = [];
        _openTelemetry = Sdk.CreateMeterProviderBuilder().AddRuntimeInstrumentation().AddInMemoryExporter(_exported).Build();

        // prometheus-net's default registry comes with its .NET runtime collectors, as users get it.
        _prometheusNet = Metrics.DefaultRegistry;
        _prometheusNetOutput = new MemoryStream();

        // Its collectors start on first use and publish after a few seconds: measure the registry users scrape.
        _prometheusNet.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
        Thread.Sleep(TimeSpan.FromSeconds(12));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _sampler.Dispose();
        _statsd.Dispose();
        _scraper.Dispose();
        _systemRuntime.Dispose();
        _openTelemetry.Dispose();
    }

    [Benchmark(Baseline = true)]
    public double Floor() => _floor.Read();

    [Benchmark]
    public void OurSample()
    {
        _sampler.Read(_current, _previous);
        (_current, _previous) = (_previous, _current);
    }

    [Benchmark]
    public void OurJsonLine()
    {
        OurSample();
        _json.WriteAsync(_previous, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>One sample formatted and packed into StatsD datagrams (Etsy dialect), without the kernel's send.</summary>
    [Benchmark]
    public void OurStatsDSample()
    {
        OurSample();
        _statsd.WriteAsync(_previous, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>One Prometheus scrape as the endpoint serves it: sample, render OpenMetrics, copy out.</summary>
    [Benchmark]
    public int OurPrometheusExposition()
    {
        _exposition.ResetWrittenCount();
        return _scraper.Scrape(PrometheusFormat.OpenMetrics, gzip: false, _exposition);
    }

    [Benchmark]
    public double SystemRuntimeMeter() => _systemRuntime.Collect();

    [Benchmark]
    public bool OpenTelemetryRuntimeInstrumentation()
    {
        _exported.Clear();
        return _openTelemetry.ForceFlush();
    }

    [Benchmark]
    public long PrometheusNetDefaultRegistry()
    {
        _prometheusNetOutput.SetLength(0);
        _prometheusNet.CollectAndExportAsTextAsync(_prometheusNetOutput).GetAwaiter().GetResult();
        return _prometheusNetOutput.Length;
    }

    [Benchmark]
    public double ProcessBasedSampler() => ProcessSampler.Read();
}
