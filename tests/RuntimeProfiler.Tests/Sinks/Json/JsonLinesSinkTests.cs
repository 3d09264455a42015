using System.Globalization;
using System.Text;
using System.Text.Json;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.Json;

public sealed class JsonLinesSinkTests
{
    [Theory]
    [InlineData(MetricNaming.OpenTelemetry, "json-opentelemetry.jsonl")]
    [InlineData(MetricNaming.Original, "json-original.jsonl")]
    public async Task A_Sample_Renders_Byte_For_Byte_As_The_Golden_File(MetricNaming naming, string golden)
    {
        string line = await RenderAsync(SnapshotFactory.Full(), naming);
        Golden.AssertMatches(golden, line);
    }

    [Fact]
    public async Task Figures_Without_A_Value_Are_Left_Out()
    {
        string line = await RenderAsync(SnapshotFactory.BeforeFirstGc(), MetricNaming.OpenTelemetry);
        Golden.AssertMatches("json-before-first-gc.jsonl", line);
        Assert.DoesNotContain("last_collection", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pauses_Render_As_Histograms_And_A_List_Of_Collections()
    {
        string line = await RenderAsync(PauseSnapshotFactory.WithPauses(), MetricNaming.OpenTelemetry);
        Golden.AssertMatches("json-pauses.jsonl", line);

        using var document = JsonDocument.Parse(line);
        JsonElement gen0 = document.RootElement.GetProperty("metrics").EnumerateArray()
            .Single(m => m.GetProperty("kind").GetString() == "histogram" && m.GetProperty("attributes").GetProperty("gc.heap.generation").GetString() == "gen0");
        Assert.Equal(25, gen0.GetProperty("count").GetInt64());
        Assert.Equal(0.0042, gen0.GetProperty("sum").GetDouble());
        Assert.Equal(RuntimeMetricCatalog.GcPauseBucketBounds, gen0.GetProperty("bounds").EnumerateArray().Select(b => b.GetDouble()));
        long[] buckets = [.. gen0.GetProperty("bucket_counts").EnumerateArray().Select(b => b.GetInt64())];
        Assert.Equal(RuntimeMetricCatalog.GcPauseBucketBounds.Count + 1, buckets.Length);
        Assert.Equal(25, buckets.Sum());

        // An empty window has no extremes to report.
        JsonElement blocking = document.RootElement.GetProperty("metrics").EnumerateArray()
            .Single(m => m.GetProperty("kind").GetString() == "histogram" && m.GetProperty("attributes").GetProperty("gc.collection.kind").GetString() == "full_blocking");
        Assert.Equal(0, blocking.GetProperty("count").GetInt64());
        Assert.False(blocking.TryGetProperty("min", out _));
        Assert.Equal(2, blocking.GetProperty("total_count").GetInt64());

        JsonElement[] collections = [.. document.RootElement.GetProperty("collections").EnumerateArray()];
        Assert.Equal(3, collections.Length);
        Assert.Equal("background", collections[2].GetProperty("kind").GetString());
        Assert.Equal(2, collections[2].GetProperty("pauses").GetArrayLength());
        Assert.Equal(0.0012, collections[2].GetProperty("pause").GetDouble(), 12);
        Assert.Equal(25, document.RootElement.GetProperty("collections_omitted").GetInt64());
    }

    [Fact]
    public async Task Original_Names_Carry_No_Histogram_And_No_Collection_List()
    {
        string line = await RenderAsync(PauseSnapshotFactory.WithPauses(), MetricNaming.Original);
        Assert.Equal(await RenderAsync(SnapshotFactory.Full(), MetricNaming.Original), line);
        Assert.DoesNotContain("histogram", line, StringComparison.Ordinal);
        Assert.DoesNotContain("collections", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_Line_Is_One_Json_Object_With_The_Documented_Schema()
    {
        using var stream = new MemoryStream();
        var sink = new JsonLinesSink(stream);
        await sink.WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        await sink.WriteAsync(SnapshotFactory.BeforeFirstGc(), CancellationToken.None);
        await sink.WriteAsync(PauseSnapshotFactory.WithPauses(), CancellationToken.None);

        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal(string.Empty, lines[3]);
        foreach (string line in lines[..3])
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            Assert.Equal(SnapshotFactory.Timestamp, root.GetProperty("timestamp").GetDateTimeOffset());
            Assert.Equal(42, root.GetProperty("sequence").GetInt64());
            Assert.Equal(10.0, root.GetProperty("elapsed").GetDouble());
            foreach (JsonElement metric in root.GetProperty("metrics").EnumerateArray())
            {
                string name = metric.GetProperty("name").GetString()!;
                string kind = metric.GetProperty("kind").GetString()!;
                Assert.Contains(kind, new[] { "gauge", "counter", "histogram" });
                Assert.False(string.IsNullOrEmpty(metric.GetProperty("unit").GetString()));
                Assert.Equal(JsonValueKind.Object, metric.GetProperty("attributes").ValueKind);
                Assert.Equal(kind != "histogram", metric.TryGetProperty("value", out JsonElement value));
                Assert.True(kind == "histogram" || value.ValueKind == JsonValueKind.Number);
                Assert.Equal(kind == "counter", metric.TryGetProperty("delta", out _));
                Assert.Equal(kind == "histogram", metric.TryGetProperty("bucket_counts", out _));
                MetricSeries? series = RuntimeMetricCatalog.Find(name, [.. metric.GetProperty("attributes").EnumerateObject().Select(p => p.Value.GetString())]);
                Assert.NotNull(series);
            }
        }
    }

    [Fact]
    public async Task Numbers_Are_Invariant_Whatever_The_Current_Culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            string line = await RenderAsync(SnapshotFactory.Full(), MetricNaming.OpenTelemetry);
            Assert.Contains("\"value\":1.25,", line, StringComparison.Ordinal);
            Assert.DoesNotContain("1,25", line, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Constructors_Reject_Null_And_Unwritable_Streams()
    {
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => new JsonLinesSink((Stream)null!)).ParamName);
        Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => new JsonLinesSink((TextWriter)null!)).ParamName);
        using var readOnly = new MemoryStream([], writable: false);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => new JsonLinesSink(readOnly)).ParamName);
    }

    [Fact]
    public async Task A_Text_Writer_Receives_The_Same_Line_As_A_Stream()
    {
        using var writer = new StringWriter();
        await new JsonLinesSink(writer).WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        Assert.Equal(await RenderAsync(SnapshotFactory.Full(), MetricNaming.OpenTelemetry), writer.ToString());
    }

    private static async Task<string> RenderAsync(RuntimeSnapshot snapshot, MetricNaming naming)
    {
        using var stream = new MemoryStream();
        await new JsonLinesSink(stream, new JsonLinesSinkOptions { Naming = naming }).WriteAsync(snapshot, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
