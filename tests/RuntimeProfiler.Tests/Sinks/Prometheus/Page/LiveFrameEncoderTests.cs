using System.Text;
using System.Text.Json;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus.Page;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.Prometheus.Page;

public sealed class LiveFrameEncoderTests
{
    private static readonly byte[] s_id = "0123456789abcdef-42"u8.ToArray();

    [Fact]
    public void Writes_One_Server_Sent_Event_With_Every_Column()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        Golden.AssertMatches("live-frame.txt", Encode(snapshot));
    }

    [Fact]
    public void Rates_Are_Counter_Changes_Over_The_Window_And_Absent_Figures_Are_Null()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.BeforeFirstGc();
        double[] values = Values(Encode(snapshot));

        Assert.Equal(LiveFrameEncoder.Columns.Count, values.Length);
        AssertClose(104_857_600 / 10.0, values[Column("alloc.rate")]);
        AssertClose(3, values[Column("gc.gen0")]);
        AssertClose(0.225, values[Column("cpu.user")]);
        AssertClose(0.7, values[Column("lock.rate")]);
        AssertClose(0.045 / 33, values[Column("pause.mean")]);
        Assert.True(double.IsNaN(values[Column("heap.gen2")]));
        Assert.True(double.IsNaN(values[Column("memory.limit")]));
        Assert.True(double.IsNaN(values[Column("pause.p99")]), "No distribution without a pause capture.");
    }

    [Fact]
    public void The_Pause_Distribution_Of_The_Window_Gives_P50_P99_And_Max()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        snapshot.HasHistograms = true;
        int slots = RuntimeSnapshot.BucketSlots;

        // 100 gen0 pauses of the window: 60 in (50 µs, 100 µs], 39 in (100 µs, 250 µs], one in (10 ms, 25 ms].
        Span<long> gen0 = snapshot.HistogramBucketsWindow[..slots];
        gen0[3] = 60;
        gen0[4] = 39;
        gen0[10] = 1;
        snapshot.HistogramCountWindow[0] = 100;
        snapshot.HistogramMinWindow[0] = 0.00006;
        snapshot.HistogramMaxWindow[0] = 0.012;
        double[] values = Values(Encode(snapshot));

        AssertClose(0.00005 + (0.00005 * 50 / 60), values[Column("pause.p50")]);
        AssertClose(0.00025, values[Column("pause.p99")]);
        AssertClose(0.012, values[Column("pause.max")]);
    }

    [Fact]
    public void Every_Pause_Of_A_Window_With_Few_Collections_Is_A_Point()
    {
        RuntimeSnapshot snapshot = PauseSnapshotFactory.WithPauses();
        snapshot.CollectionsOmitted = 0;
        string frame = Encode(snapshot);
        Golden.AssertMatches("live-frame-pauses.txt", frame);

        using var json = JsonDocument.Parse(frame.Split('\n')[1]["data: ".Length..]);
        JsonElement[] points = [.. json.RootElement.GetProperty("p").EnumerateArray()];
        Assert.Equal(3, points.Length);
        Assert.Equal(SnapshotFactory.Timestamp.AddMilliseconds(-500).ToUnixTimeMilliseconds(), points[2][0].GetInt64());
        Assert.Equal(0.0012, points[2][1].GetDouble(), 9);
        Assert.Equal(2, points[2][2].GetInt32());

        // Pauses the window had but the list left out: no points, the distribution alone tells.
        Assert.DoesNotContain("\"p\":", Encode(PauseSnapshotFactory.WithPauses()), StringComparison.Ordinal);
        Assert.DoesNotContain("\"p\":", Encode(SnapshotFactory.Full()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, 0.00075)]
    [InlineData(0.99, 0.000995)]
    [InlineData(1.0, 0.001)]
    public void A_Quantile_Is_Interpolated_In_Its_Bucket_And_Kept_Under_The_Max(double quantile, double expected)
    {
        long[] buckets = new long[RuntimeSnapshot.BucketSlots];
        buckets[6] = 100; // (0.5 ms, 1 ms]
        Assert.Equal(expected, LiveFrameEncoder.Quantile(buckets, 100, quantile, double.NaN, double.NaN), 9);
        Assert.Equal(0.0008, LiveFrameEncoder.Quantile(buckets, 100, 0.99, double.NaN, 0.0008), 9);
        Assert.True(double.IsNaN(LiveFrameEncoder.Quantile(buckets, 0, quantile, double.NaN, double.NaN)));
    }

    [Fact]
    public void The_Longest_Values_Fit_The_Frame_Bound()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        snapshot.Values.Fill(-1.2345678901234567e-300);
        snapshot.Deltas.Fill(-1.2345678901234567e+300);
        snapshot.Timestamp = DateTimeOffset.MaxValue;
        snapshot.Elapsed = TimeSpan.FromTicks(1);
        snapshot.HistogramMaxWindow.Fill(-1.2345678901234567e-300);
        snapshot.HistogramCountWindow.Fill(long.MaxValue / 8);
        snapshot.HasHistograms = true;
        snapshot.CollectionStorage.Fill(new GcCollectionInfo(1, long.MaxValue, 2, GcCollectionKind.Background, TimeSpan.MaxValue / 3, TimeSpan.MaxValue / 3, compacted: true, long.MaxValue, long.MaxValue, long.MaxValue, DateTimeOffset.MinValue));
        snapshot.CollectionCount = 8;
        byte[] buffer = new byte[LiveFrameEncoder.MaxFrameBytes];
        byte[] id = Encoding.ASCII.GetBytes("0123456789abcdef-" + long.MaxValue);
        int written = LiveFrameEncoder.Write(snapshot, id, buffer);
        Assert.InRange(written, 1, LiveFrameEncoder.MaxFrameBytes);
        Assert.Equal(8, Encoding.ASCII.GetString(buffer, 0, written).Split("[-62135596800000,").Length - 1);

        // One collection more than a frame lists as points: the window's distribution alone tells.
        snapshot.CollectionCount = 9;
        Assert.DoesNotContain("\"p\":", Encoding.ASCII.GetString(buffer, 0, LiveFrameEncoder.Write(snapshot, id, buffer)), StringComparison.Ordinal);
    }

    // Six significant digits are sent: enough for a chart.
    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Abs(expected) * 1e-5, $"expected {expected}, got {actual}");

    private static string Encode(RuntimeSnapshot snapshot)
    {
        byte[] buffer = new byte[LiveFrameEncoder.MaxFrameBytes];
        int written = LiveFrameEncoder.Write(snapshot, s_id, buffer);
        return Encoding.UTF8.GetString(buffer, 0, written);
    }

    private static int Column(string name) => LiveFrameEncoder.Columns.ToList().IndexOf(name);

    private static double[] Values(string frame)
    {
        string[] lines = frame.Split('\n');
        Assert.Equal("id: 0123456789abcdef-42", lines[0]);
        Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
        Assert.Equal(["", ""], lines[2..]);
        using var json = JsonDocument.Parse(lines[1]["data: ".Length..]);
        return [.. json.RootElement.GetProperty("v").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble())];
    }
}
