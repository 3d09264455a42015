using System.Text;
using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

public sealed class PrometheusTextFormatterTests
{
    [Theory]
    [MemberData(nameof(PrometheusRenderings.All), MemberType = typeof(PrometheusRenderings))]
    public void Renders_Every_Figure_Byte_For_Byte(MetricNaming naming, PrometheusFormat format, bool histograms)
    {
        string text = Render(naming, format, histograms ? SnapshotFactory.WithHistograms(SnapshotFactory.Full()) : SnapshotFactory.Full());
        PrometheusExposition.Parse(text, format == PrometheusFormat.OpenMetrics);
        Golden.AssertMatches(GoldenName(naming, format, histograms), text);
    }

    [Fact]
    public void Names_Counters_And_Units_As_Prometheus_Expects()
    {
        PrometheusExposition text = Parse(MetricNaming.OpenTelemetry, PrometheusFormat.Text, SnapshotFactory.Full());
        Assert.Equal(1200, text["dotnet_gc_collections_total{gc_heap_generation=\"gen0\"}"]);
        Assert.Equal(1.25, text["dotnet_gc_pause_time_seconds_total"]);
        Assert.Equal(10_737_418_240, text["dotnet_gc_heap_total_allocated_bytes_total"]);
        Assert.Equal(30.75, text["dotnet_process_cpu_time_seconds_total{cpu_mode=\"system\"}"]);
        Assert.Equal(52_428_800, text["dotnet_gc_heap_size_bytes"]);
        Assert.Equal(0.0045, text["dotnet_gc_pause_ratio"]);
        Assert.Equal(8, text["dotnet_thread_pool_threads"]);
        Assert.Equal(2, text["dotnet_process_cpus"]);
        Assert.Equal(64, text["dotnet_assemblies"]);
        Assert.Equal(6, text["dotnet_timers"]);
        Assert.Equal(250_000, text["dotnet_thread_pool_work_item_count_total"]);
        Assert.Equal(1, text["runtime_profiler_sink_errors_total"]);
        Assert.Contains(text.Families, f => f is { Name: "dotnet_gc_collections_total", Type: "counter" });

        PrometheusExposition open = Parse(MetricNaming.OpenTelemetry, PrometheusFormat.OpenMetrics, SnapshotFactory.Full());
        Assert.Contains(open.Families, f => f is { Name: "dotnet_gc_collections", Type: "counter", Unit: "" });
        Assert.Contains(open.Families, f => f is { Name: "dotnet_gc_pause_time_seconds", Type: "counter", Unit: "seconds" });
        Assert.Contains(open.Families, f => f is { Name: "dotnet_gc_heap_size_bytes", Type: "gauge", Unit: "bytes" });
        Assert.Contains(open.Families, f => f is { Name: "dotnet_gc_pause_ratio", Type: "gauge", Unit: "ratio" });
        Assert.Equal(text.Samples.OrderBy(s => s.Key, StringComparer.Ordinal), open.Samples.OrderBy(s => s.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Original_Names_Keep_The_Go_Stems_In_Base_Units_With_Totals_As_Counters()
    {
        PrometheusExposition text = Parse(MetricNaming.Original, PrometheusFormat.Text, SnapshotFactory.Full());
        Assert.Equal(1.25, text["runtime_gc_pause_total_seconds_total"]);
        Assert.Equal(0.0015, text["runtime_gc_pause_seconds"]);
        Assert.Equal(1285, text["runtime_gc_count_total"]);
        Assert.Equal(10_737_418_240, text["runtime_mem_total_alloc_bytes_total"]);
        Assert.Equal(52_428_800, text["runtime_mem_heap_alloc_bytes"]);
        Assert.Equal(8, text["runtime_goroutines"]);
        Assert.Equal(0.0045, text["runtime_gc_cpu_use_ratio"]);
        Assert.Equal(1_795_685_410.125, text["runtime_gc_last_finished_ts_seconds"], 6);
        Assert.Contains(text.Families, f => f is { Name: "runtime_mem_total_alloc_bytes_total", Type: "counter" });
        Assert.Contains(text.Families, f => f is { Name: "runtime_mem_heap_alloc_bytes", Type: "gauge" });
    }

    [Fact]
    public void Histogram_Buckets_Are_Cumulative_With_Inf_Equal_To_Count_Then_Sum_And_Count()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.WithHistograms(SnapshotFactory.Full());
        foreach (PrometheusFormat format in new[] { PrometheusFormat.Text, PrometheusFormat.OpenMetrics })
        {
            PrometheusExposition exposition = Parse(MetricNaming.OpenTelemetry, format, snapshot);
            const string Gen0 = "gc_heap_generation=\"gen0\",gc_collection_kind=\"ephemeral\"";
            Assert.Equal(0, exposition[$"dotnet_gc_pause_duration_seconds_bucket{{{Gen0},le=\"1e-05\"}}"]);
            Assert.Equal(3, exposition[$"dotnet_gc_pause_duration_seconds_bucket{{{Gen0},le=\"2.5e-05\"}}"]);
            Assert.Equal(243, exposition[$"dotnet_gc_pause_duration_seconds_bucket{{{Gen0},le=\"0.0001\"}}"]);
            Assert.Equal(700, exposition[$"dotnet_gc_pause_duration_seconds_bucket{{{Gen0},le=\"1.0\"}}"]);
            Assert.Equal(700, exposition[$"dotnet_gc_pause_duration_seconds_bucket{{{Gen0},le=\"+Inf\"}}"]);
            Assert.Equal(700, exposition[$"dotnet_gc_pause_duration_seconds_count{{{Gen0}}}"]);
            Assert.Equal(0.1875, exposition[$"dotnet_gc_pause_duration_seconds_sum{{{Gen0}}}"]);

            // The pause above the last bound (10 s) is in +Inf and _count only.
            const string Background = "gc_heap_generation=\"gen2\",gc_collection_kind=\"background\"";
            Assert.Equal(2, exposition[$"dotnet_gc_pause_duration_seconds_bucket{{{Background},le=\"10.0\"}}"]);
            Assert.Equal(3, exposition[$"dotnet_gc_pause_duration_seconds_bucket{{{Background},le=\"+Inf\"}}"]);
        }
    }

    [Fact]
    public void Renders_No_Histogram_When_The_Snapshot_Has_None()
    {
        string text = Render(MetricNaming.OpenTelemetry, PrometheusFormat.Text, SnapshotFactory.Full());
        Assert.DoesNotContain("dotnet_gc_pause_duration", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Leaves_Out_Families_With_No_Figure_In_The_Snapshot()
    {
        string text = Render(MetricNaming.OpenTelemetry, PrometheusFormat.Text, SnapshotFactory.BeforeFirstGc());
        PrometheusExposition.Parse(text, openMetrics: false);
        Assert.DoesNotContain("dotnet_gc_last_collection_heap_size_bytes", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet_gc_pause_ratio", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_heap_size_bytes 52428800\n", text, StringComparison.Ordinal);

        var empty = new RuntimeSnapshot();
        Assert.Equal(string.Empty, Render(MetricNaming.OpenTelemetry, PrometheusFormat.Text, empty));
        Assert.Equal("# EOF\n", Render(MetricNaming.OpenTelemetry, PrometheusFormat.OpenMetrics, empty));
    }

    [Fact]
    public void Escapes_Help_And_Label_Values_As_Each_Format_Requires()
    {
        MetricSeries source = RuntimeMetricCatalog.Find("dotnet.gc.collections", "gen0")!;
        Figure[] figures = [new Figure("odd.figure", "By", MetricGroup.Runtime, "Quote \" backslash \\ and\nnewline.", s => s.Values[source.Index])];
        var snapshot = SnapshotFactory.Full();

        string text = Render(new PrometheusTextFormatter(figures, PrometheusFormat.Text), snapshot);
        Assert.Contains("# HELP odd_figure_bytes Quote \" backslash \\\\ and\\nnewline.\n", text, StringComparison.Ordinal);
        string open = Render(new PrometheusTextFormatter(figures, PrometheusFormat.OpenMetrics), snapshot);
        Assert.Contains("# HELP odd_figure_bytes Quote \\\" backslash \\\\ and\\nnewline.\n", open, StringComparison.Ordinal);

        Assert.Equal("a\\\\b\\\"c\\nd", PrometheusText.EscapeLabelValue("a\\b\"c\nd"));
    }

    [Theory]
    [InlineData(0.00001, "1e-05")]
    [InlineData(0.000025, "2.5e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00025, "0.00025")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0025, "0.0025")]
    [InlineData(0.1, "0.1")]
    [InlineData(1, "1.0")]
    [InlineData(2.5, "2.5")]
    [InlineData(10, "10.0")]
    [InlineData(100000, "100000.0")]
    [InlineData(1000000, "1e+06")]
    [InlineData(1e-10, "1e-10")]
    [InlineData(0.95, "0.95")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    public void Bucket_Bounds_Use_The_Canonical_OpenMetrics_Form(double bound, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatBound(bound));

    [Fact]
    public void Asks_For_A_Larger_Buffer_Rather_Than_Writing_Part_Of_An_Exposition()
    {
        var formatter = new PrometheusTextFormatter(MetricNaming.OpenTelemetry, PrometheusFormat.OpenMetrics);
        RuntimeSnapshot snapshot = SnapshotFactory.WithHistograms(SnapshotFactory.Full());
        Assert.False(formatter.TryFormat(snapshot, new byte[1000], out int written));
        Assert.Equal(0, written);
        byte[] buffer = new byte[64 * 1024];
        Assert.True(formatter.TryFormat(snapshot, buffer, out written));
        Assert.False(formatter.TryFormat(snapshot, new byte[written - 1], out _));
        Assert.True(formatter.TryFormat(snapshot, new byte[written], out int exact));
        Assert.Equal(written, exact);
    }

    [Fact]
    public void Refuses_Figures_That_Would_Render_As_The_Same_Series()
    {
        Figure[] twice = [new Figure("a.b", "By", MetricGroup.Runtime, "One.", _ => 1), new Figure("a_b", "By", MetricGroup.Runtime, "Two.", _ => 2)];
        Assert.Throws<InvalidOperationException>(() => new PrometheusTextFormatter(twice, PrometheusFormat.Text));
    }

    internal static string GoldenName(MetricNaming naming, PrometheusFormat format, bool histograms) =>
        $"prometheus-{(naming == MetricNaming.Original ? "original" : "opentelemetry")}{(histograms ? "-histograms" : string.Empty)}.{(format == PrometheusFormat.OpenMetrics ? "om.txt" : "txt")}";

    internal static string Render(MetricNaming naming, PrometheusFormat format, RuntimeSnapshot snapshot) =>
        Render(new PrometheusTextFormatter(naming, format), snapshot);

    private static string Render(PrometheusTextFormatter formatter, RuntimeSnapshot snapshot)
    {
        byte[] buffer = new byte[128 * 1024];
        Assert.True(formatter.TryFormat(snapshot, buffer, out int written));
        return Encoding.UTF8.GetString(buffer, 0, written);
    }

    private static PrometheusExposition Parse(MetricNaming naming, PrometheusFormat format, RuntimeSnapshot snapshot) =>
        PrometheusExposition.Parse(Render(naming, format, snapshot), format == PrometheusFormat.OpenMetrics);
}
