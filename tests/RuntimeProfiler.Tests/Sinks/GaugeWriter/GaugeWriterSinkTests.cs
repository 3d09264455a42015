using System.Globalization;
using System.Text;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.GaugeWriter;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.GaugeWriter;

public sealed class GaugeWriterSinkTests
{
    [Fact]
    public async Task Original_Names_Render_As_The_Golden_File_All_As_Gauges()
    {
        var writer = new RecordingWriter();
        await new GaugeWriterSink(writer, MetricNaming.Original).WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        Golden.AssertMatches("gauge-writer-original.txt", writer.ToString());
        Assert.DoesNotContain("counter ", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Original_Names_Leave_Out_Figures_With_No_Value()
    {
        var writer = new RecordingWriter();
        await new GaugeWriterSink(writer, MetricNaming.Original).WriteAsync(SnapshotFactory.BeforeFirstGc(), CancellationToken.None);
        string text = writer.ToString();
        Assert.DoesNotContain("runtime.mem.heap.sys_bytes", text, StringComparison.Ordinal);
        Assert.DoesNotContain("runtime.gc.pause_ns", text, StringComparison.Ordinal);
        Assert.Contains("runtime.gc.pause_total_ns 1250000000", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Original_Figures_Are_Converted_To_The_Original_Units()
    {
        var writer = new RecordingWriter();
        await new GaugeWriterSink(writer, MetricNaming.Original).WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        Assert.Equal(1_250_000_000, writer.Gauges["runtime.gc.pause_total_ns"]);
        Assert.Equal(1_500_000, writer.Gauges["runtime.gc.pause_ns"]);
        Assert.Equal(1285, writer.Gauges["runtime.gc.count"]);
        Assert.Equal(67_108_864 - 43_057_152, writer.Gauges["runtime.mem.heap.idle_bytes"]);
        Assert.Equal(1_795_685_410_125_000_000, writer.Gauges["runtime.gc.last_finished_ts"], 1e6);
        Assert.Equal(8, writer.Gauges["runtime.goroutines"]);
    }

    [Fact]
    public async Task Canonical_Names_Send_Counters_As_Deltas_To_A_Counter_Writer()
    {
        var writer = new RecordingWriter();
        await new GaugeWriterSink(writer).WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        Golden.AssertMatches("gauge-writer-opentelemetry.txt", writer.ToString());
        Assert.Equal(30, writer.Counters["dotnet.gc.collections.gen0"]);
        Assert.Equal(2.25, writer.Counters["dotnet.process.cpu.time.user"]);
        Assert.Equal(52_428_800, writer.Gauges["dotnet.gc.heap.size"]);
    }

    [Fact]
    public async Task Canonical_Names_Send_Counter_Totals_As_Gauges_To_A_Gauge_Only_Writer()
    {
        var writer = new GaugeOnlyWriter();
        await new GaugeWriterSink(writer).WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        Assert.Equal(1200, writer.Gauges["dotnet.gc.collections.gen0"]);
        Assert.Equal(RuntimeMetricCatalog.Series.Count(s => s.Kind != MetricKind.Histogram), writer.Gauges.Count);
    }

    [Fact]
    public void Constructor_Rejects_A_Null_Writer_And_An_Unknown_Naming()
    {
        Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => new GaugeWriterSink(null!)).ParamName);
        Assert.Equal("naming", Assert.Throws<ArgumentOutOfRangeException>(() => new GaugeWriterSink(new GaugeOnlyWriter(), (MetricNaming)7)).ParamName);
    }

    private sealed class RecordingWriter : IGaugeWriter, ICounterWriter
    {
        private readonly StringBuilder _log = new();

        public Dictionary<string, double> Gauges { get; } = [];

        public Dictionary<string, double> Counters { get; } = [];

        public void Gauge(string name, double value)
        {
            Gauges[name] = value;
            _log.Append(CultureInfo.InvariantCulture, $"gauge {name} {value.ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        public void Counter(string name, double delta)
        {
            Counters[name] = delta;
            _log.Append(CultureInfo.InvariantCulture, $"counter {name} {delta.ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        public override string ToString() => _log.ToString();
    }

    private sealed class GaugeOnlyWriter : IGaugeWriter
    {
        public Dictionary<string, double> Gauges { get; } = [];

        public void Gauge(string name, double value) => Gauges[name] = value;
    }
}
