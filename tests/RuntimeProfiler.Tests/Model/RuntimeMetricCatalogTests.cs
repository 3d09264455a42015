using System.Text.RegularExpressions;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Tests.Model;

public sealed partial class RuntimeMetricCatalogTests
{
    [Fact]
    public void Every_Series_Is_Unique_By_Name_And_Attributes()
    {
        string[] keys = [.. RuntimeMetricCatalog.Series.Select(s => s.ToString())];
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Index_Is_The_Position_In_The_List()
    {
        for (int i = 0; i < RuntimeMetricCatalog.Series.Count; i++)
        {
            Assert.Equal(i, RuntimeMetricCatalog.Series[i].Index);
        }
    }

    [Fact]
    public void Names_Units_And_Attributes_Follow_The_Conventions()
    {
        foreach (MetricSeries series in RuntimeMetricCatalog.Series)
        {
            Assert.Matches(NamePattern(), series.Name);
            Assert.Matches(UnitPattern(), series.Unit);
            Assert.False(series.Name.EndsWith("_total", StringComparison.Ordinal), $"{series.Name}: counters carry no _total in canonical names");
            Assert.False(string.IsNullOrWhiteSpace(series.Description));
            Assert.EndsWith(".", series.Description, StringComparison.Ordinal);
            foreach (KeyValuePair<string, string> attribute in series.Attributes)
            {
                Assert.Contains(attribute.Key, new[] { "gc.heap.generation", "cpu.mode", "gc.collection.kind", "reason" });
            }
        }
    }

    [Fact]
    public void Series_Of_One_Name_Share_Unit_Kind_And_Description()
    {
        foreach (IGrouping<string, MetricSeries> family in RuntimeMetricCatalog.Series.GroupBy(s => s.Name))
        {
            Assert.Single(family.Select(s => (s.Unit, s.Kind, s.Description)).Distinct());
        }
    }

    [Theory]
    [InlineData("dotnet.gc.collections", "gen0", MetricKind.Counter, "{collection}")]
    [InlineData("dotnet.gc.collections", "gen2", MetricKind.Counter, "{collection}")]
    [InlineData("dotnet.gc.heap.total_allocated", null, MetricKind.Counter, "By")]
    [InlineData("dotnet.gc.last_collection.heap.size", "loh", MetricKind.Gauge, "By")]
    [InlineData("dotnet.gc.pause.time", null, MetricKind.Counter, "s")]
    [InlineData("dotnet.process.cpu.time", "system", MetricKind.Counter, "s")]
    [InlineData("dotnet.thread_pool.queue.length", null, MetricKind.Gauge, "{work_item}")]
    [InlineData("dotnet.thread_pool.thread.count", null, MetricKind.Gauge, "{thread}")]
    [InlineData("dotnet.jit.compilation.time", null, MetricKind.Counter, "s")]
    [InlineData("dotnet.exceptions", null, MetricKind.Counter, "{exception}")]
    public void Find_Returns_The_Series_With_Its_Kind_And_Unit(string name, string? attribute, MetricKind kind, string unit)
    {
        MetricSeries? series = RuntimeMetricCatalog.Find(name, attribute);
        Assert.NotNull(series);
        Assert.Equal(kind, series.Kind);
        Assert.Equal(unit, series.Unit);
    }

    [Fact]
    public void The_Pause_Histogram_Has_A_Series_Per_Generation_And_Kind_With_Bounds_From_10_Microseconds_To_10_Seconds()
    {
        Assert.NotNull(RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen0", "ephemeral"));
        Assert.NotNull(RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen1", "ephemeral"));
        Assert.NotNull(RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen2", "full_blocking"));
        Assert.NotNull(RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen2", "background"));
        Assert.All(RuntimeMetricCatalog.Series.Where(s => s.Name == "dotnet.gc.pause.duration"), s => Assert.Equal(MetricKind.Histogram, s.Kind));
        IReadOnlyList<double> bounds = RuntimeMetricCatalog.GcPauseBucketBounds;
        Assert.Equal(0.00001, bounds[0]);
        Assert.Equal(10, bounds[^1]);
        Assert.Equal(bounds.Order(), bounds);
    }

    [Fact]
    public void Find_Returns_Null_For_Unknown_Names_And_Attributes()
    {
        Assert.Null(RuntimeMetricCatalog.Find("dotnet.gc.collections"));
        Assert.Null(RuntimeMetricCatalog.Find("dotnet.gc.collections", "gen3"));
        Assert.Null(RuntimeMetricCatalog.Find("runtime.mem.heap.alloc_bytes"));
    }

    [Fact]
    public void The_Catalog_Holds_Every_Figure_Of_The_Metric_Map()
    {
        string[] required =
        [
            "dotnet.gc.collections", "dotnet.gc.heap.total_allocated", "dotnet.gc.last_collection.heap.size",
            "dotnet.gc.last_collection.heap.fragmentation.size", "dotnet.gc.last_collection.memory.committed_size",
            "dotnet.gc.pause.time", "dotnet.gc.heap.size", "dotnet.gc.last_collection.promoted.size",
            "dotnet.gc.last_collection.pinned_objects", "dotnet.gc.finalization.pending", "dotnet.gc.memory.load",
            "dotnet.gc.memory.limit", "dotnet.gc.memory.high_load_threshold", "dotnet.gc.pause.ratio",
            "dotnet.process.cpu.time", "dotnet.process.cpu.count", "dotnet.process.memory.working_set",
            "dotnet.process.threads", "dotnet.thread_pool.thread.count", "dotnet.thread_pool.queue.length",
            "dotnet.thread_pool.work_item.count", "dotnet.monitor.lock_contentions", "dotnet.timer.count",
            "dotnet.assembly.count", "dotnet.exceptions", "dotnet.jit.compiled_il.size", "dotnet.jit.compiled_methods",
            "dotnet.jit.compilation.time",
        ];
        HashSet<string> names = [.. RuntimeMetricCatalog.Series.Select(s => s.Name)];
        Assert.All(required, name => Assert.Contains(name, names));
        string[] generations = ["gen0", "gen1", "gen2", "loh", "poh"];
        Assert.All(generations, g => Assert.NotNull(RuntimeMetricCatalog.Find("dotnet.gc.last_collection.heap.size", g)));
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(By|s|1|\{[a-z_]+\})$")]
    private static partial Regex UnitPattern();
}
