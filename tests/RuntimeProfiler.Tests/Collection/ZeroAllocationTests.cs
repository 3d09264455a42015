using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.GaugeWriter;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.Prometheus.Page;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Collection;

/// <summary>
/// The sampling tick, every formatter and sink, the scrape and the live page allocate nothing once warm, measured
/// exactly per thread by <see cref="Allocations"/> (a window in which a GC ran is measured again).
/// </summary>
[Collection(SerialTestGroup.Name)]
public sealed class ZeroAllocationTests
{
    [Fact]
    public void A_Sample_Read_Allocates_Nothing_When_No_Collection_Ran()
    {
        using var sampler = new RuntimeSampler(TimeProvider.System);
        sampler.Start();
        var current = new RuntimeSnapshot();
        var previous = new RuntimeSnapshot();
        Allocations.AssertNone(() =>
        {
            sampler.Read(current, previous);
            (current, previous) = (previous, current);
        });
    }

    [Fact]
    public void A_Sample_Read_Allocates_Only_The_Memory_Info_When_It_Observes_A_Collection_First()
    {
        // No sentinel: the read is the only observer, so it observes every collection itself.
        using var sampler = new RuntimeSampler(TimeProvider.System, new ProcessStatSampler(), new GcPauseCapture(TimeProvider.System, armSentinel: false));
        sampler.Start();
        var snapshot = new RuntimeSnapshot();
        long allocated = 0;
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            long before = GC.GetAllocatedBytesForCurrentThread();
            sampler.Read(snapshot, null);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // One GCMemoryInfo for the Any read.
        Assert.Equal(288, allocated);
    }

    [Fact]
    public async Task A_Profiler_Tick_Allocates_Nothing_When_No_Collection_Ran()
    {
        var clock = new FakeTimeProvider();
        var sampler = new RuntimeSampler(clock);
        sampler.Start();
        var options = new RuntimeProfilerOptions { Interval = TimeSpan.FromSeconds(1) };
        options.Sinks.Add(new NullSink());
        await using var profiler = new RuntimeProfiler(options, clock, sampler);

        // The tick (read, copy to each sink's lane, queue the lane) runs on this thread; sinks run elsewhere.
        // Each measured tick starts with the lane idle, so the sample is handed over, not skipped.
        Allocations.AssertNone(
            () => profiler.Tick(CancellationToken.None),
            between: () => profiler.WhenSinksIdleAsync().GetAwaiter().GetResult());
        Assert.Equal(0, profiler.SinkSkipped);
        sampler.Dispose();
    }

    [Fact]
    public void The_Json_Sink_Allocates_Nothing_Per_Sample()
    {
        var sink = new JsonLinesSink(Stream.Null);
        RuntimeSnapshot snapshot = PauseSnapshotFactory.WithPauses();
        Allocations.AssertNone(() => sink.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult());
    }

    [Fact]
    public void The_Json_Sink_To_A_Text_Writer_Allocates_Nothing_Per_Sample()
    {
        var sink = new JsonLinesSink(TextWriter.Null);
        RuntimeSnapshot snapshot = PauseSnapshotFactory.WithPauses();
        Allocations.AssertNone(() => sink.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult());
    }

    [Fact]
    public void The_Console_Sink_Allocates_Nothing_Per_Sample()
    {
        var sink = new ConsoleSink(TextWriter.Null, new ConsoleSinkOptions { Naming = MetricNaming.Original });
        var canonical = new ConsoleSink(TextWriter.Null);
        RuntimeSnapshot snapshot = PauseSnapshotFactory.WithPauses();
        Allocations.AssertNone(() =>
        {
            sink.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult();
            canonical.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult();
        });
    }

    [Fact]
    public void The_Gauge_Writer_Sink_Allocates_Nothing_Per_Sample()
    {
        var writer = new SummingWriter();
        var original = new GaugeWriterSink(writer, MetricNaming.Original);
        var canonical = new GaugeWriterSink(writer);
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        Allocations.AssertNone(() =>
        {
            original.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult();
            canonical.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult();
        });
        Assert.True(writer.Calls > 0);
    }

    [Fact]
    public void A_Prometheus_Exposition_Allocates_Nothing_In_Either_Format_And_Naming()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.WithHistograms(SnapshotFactory.Full());
        PrometheusTextFormatter[] formatters =
        [
            new(MetricNaming.OpenTelemetry, PrometheusFormat.Text),
            new(MetricNaming.OpenTelemetry, PrometheusFormat.OpenMetrics),
            new(MetricNaming.Original, PrometheusFormat.Text),
            new(MetricNaming.Original, PrometheusFormat.OpenMetrics),
        ];
        byte[] buffer = new byte[64 * 1024];
        int total = 0;
        Allocations.AssertNone(() =>
        {
            foreach (PrometheusTextFormatter formatter in formatters)
            {
                Assert.True(formatter.TryFormat(snapshot, buffer, out int written));
                total += written;
            }
        });
        Assert.True(total > 0);
    }

    [Fact]
    public void A_Prometheus_Scrape_That_Reads_And_Renders_Allocates_Nothing_When_No_Collection_Ran()
    {
        using var scraper = new PrometheusScraper(new PrometheusScraperOptions { MinimumSampleInterval = TimeSpan.Zero });
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        Allocations.AssertNone(() =>
        {
            buffer.ResetWrittenCount();
            scraper.Scrape(PrometheusFormat.OpenMetrics, gzip: false, buffer);
            buffer.ResetWrittenCount();
            scraper.Scrape(PrometheusFormat.Text, gzip: false, buffer);
        });
    }

    [Fact]
    public async Task The_Live_Page_Allocates_Nothing_To_Encode_A_Sample_Or_To_Hand_It_To_A_Viewer()
    {
        var clock = new FakeTimeProvider();
        await using LivePage page = Sinks.Prometheus.Page.LivePageTests.Create(clock, new HardcodedSampleSource(clock));
        var viewer = new LiveViewer();
        Assert.True(viewer.TryOpen(page, default));
        RuntimeSnapshot snapshot = SnapshotFactory.WithHistograms(SnapshotFactory.Full());
        byte[] buffer = new byte[16 * 1024];
        int sent = 0;
        Allocations.AssertNone(() =>
        {
            page.Encode(snapshot);
            sent += viewer.Fill(buffer);
            _ = viewer.WaitAsync();
        });
        Assert.True(sent > 0);
        viewer.Close();
    }

    [Fact]
    public async Task A_Live_Page_Sample_Allocates_Nothing_On_The_Timer_Thread_When_No_Collection_Ran()
    {
        // The page's tick: read through the scraper, copy into the page's lane, queue the lane; encoding runs elsewhere.
        var clock = new FakeTimeProvider();
        await using LivePage page = Sinks.Prometheus.Page.LivePageTests.Create(clock, new HardcodedSampleSource(clock));
        page.Start();
        Allocations.AssertNone(page.Sample, between: () => page.WhenEncodedAsync().GetAwaiter().GetResult());
    }

    private sealed class NullSink : IRuntimeMetricsSink
    {
        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class SummingWriter : IGaugeWriter, ICounterWriter
    {
        public int Calls { get; private set; }

        public double Sum { get; private set; }

        public void Gauge(string name, double value)
        {
            Calls++;
            Sum += value;
        }

        public void Counter(string name, double delta)
        {
            Calls++;
            Sum += delta;
        }
    }
}
