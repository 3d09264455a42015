using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.Console;

public sealed class ConsoleSinkTests
{
    [Theory]
    [InlineData(MetricNaming.OpenTelemetry, "console-opentelemetry.txt")]
    [InlineData(MetricNaming.Original, "console-original.txt")]
    public async Task A_Sample_Renders_As_The_Golden_Table(MetricNaming naming, string golden)
    {
        using var writer = new StringWriter();
        await new ConsoleSink(writer, new ConsoleSinkOptions { Naming = naming }).WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        Golden.AssertMatches(golden, writer.ToString());
    }

    [Fact]
    public async Task The_Pause_Distribution_And_The_Collections_Close_The_Gc_Group()
    {
        using var writer = new StringWriter();
        await new ConsoleSink(writer).WriteAsync(PauseSnapshotFactory.WithPauses(), CancellationToken.None);
        string text = writer.ToString();
        Golden.AssertMatches("console-pauses.txt", text);
        Assert.True(text.IndexOf("dotnet.gc.pause.duration [gen0,ephemeral]", StringComparison.Ordinal) < text.IndexOf("collections of the interval", StringComparison.Ordinal));
        Assert.True(text.IndexOf("collections of the interval", StringComparison.Ordinal) < text.IndexOf("\nAllocation\n", StringComparison.Ordinal));

        // A series with no pause in the window gets no line.
        Assert.DoesNotContain("[gen2,full_blocking]", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, 0.00025)]
    [InlineData(0.99, 0.00031)]
    [InlineData(0.01, 0.0001)]
    public void Quantiles_Are_The_Upper_Bound_Of_Their_Bucket(double quantile, double expected)
    {
        RuntimeSnapshot snapshot = PauseSnapshotFactory.WithPauses();
        Assert.True(snapshot.TryGetHistogram(RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen0", "ephemeral")!, out HistogramSnapshot? histogram));
        Assert.Equal(expected, ConsoleTableFormatter.QuantileUpperBound(histogram, quantile));
    }

    [Fact]
    public void A_Quantile_In_A_Bucket_Above_The_Maximum_Is_The_Maximum()
    {
        RuntimeSnapshot snapshot = PauseSnapshotFactory.WithPauses();
        Assert.True(snapshot.TryGetHistogram(RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen2", "background")!, out HistogramSnapshot? histogram));
        Assert.Equal(0.0012, ConsoleTableFormatter.QuantileUpperBound(histogram, 0.99));
    }

    [Fact]
    public async Task The_Table_Is_Grouped_In_The_Documented_Order()
    {
        using var writer = new StringWriter();
        await new ConsoleSink(writer).WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        string text = writer.ToString();
        string[] groups = ["GC and heap", "Allocation", "CPU and memory", "Thread pool and locks", "JIT", "Runtime", "Profiler"];
        int[] positions = [.. groups.Select(g => text.IndexOf("\n" + g + "\n", StringComparison.Ordinal))];
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Theory]
    [InlineData(512, "By", "512 B")]
    [InlineData(1536, "By", "1.5 KiB")]
    [InlineData(52_428_800, "By", "50.0 MiB")]
    [InlineData(3_221_225_472, "By", "3.00 GiB")]
    [InlineData(0.0000005, "s", "500 ns")]
    [InlineData(0.0000031, "s", "3.1 µs")]
    [InlineData(0.0015, "s", "1.50 ms")]
    [InlineData(2.5, "s", "2.500 s")]
    [InlineData(1_500_000, "ns", "1.50 ms")]
    [InlineData(0.0045, "1", "0.45 %")]
    [InlineData(1200, "{collection}", "1200")]
    [InlineData(0.5, "{work_item}", "0.5")]
    public void Values_Are_Shown_In_Human_Units(double value, string unit, string expected)
    {
        var buffer = new Formatting.CharBuffer(16);
        ConsoleTableFormatter.AppendHuman(buffer, value, unit);
        Assert.Equal(expected, buffer.WrittenSpan.ToString());
    }
}
