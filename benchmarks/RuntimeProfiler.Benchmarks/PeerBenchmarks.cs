using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Prometheus;
using RuntimeProfiling.Benchmarks.Peers;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Sinks.Json;

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
        _systemRuntime = new SystemRuntimeMeterReader();
        _exported = [];
        _openTelemetry = Sdk.CreateMeterProviderBuilder().AddRuntimeInstrumentation().AddInMemoryExporter(_exported).Build();

        // prometheus-net's default registry comes with its .NET runtime collectors, as users get it.
        _prometheusNet = Metrics.DefaultRegistry;
        _prometheusNetOutput = new MemoryStream();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _sampler.Dispose();
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
