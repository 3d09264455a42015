using System.Globalization;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>
/// Writes one sample as one Server-Sent Events message for the live page: <c>id: INSTANCE-SEQ</c>, then
/// <c>data: {"t":unix ms,"d":window s,"v":[...],"p":[...]}</c>: the values in the order of <see cref="Columns"/> (null
/// where absent), and, when the window had few collections and all of them are listed, each one's pause as
/// <c>[unix ms, seconds, generation]</c>. Only figures the Prometheus exposition carries are sent (the pauses are its
/// histogram's observations), and rates are their counters' changes over the window. Writes into a caller's span and
/// allocates nothing.
/// </summary>
internal static class LiveFrameEncoder
{
    private static readonly string[] s_columns =
    [
        "heap.gen0", "heap.gen1", "heap.gen2", "heap.loh", "heap.poh",
        "alloc.rate",
        "gc.gen0", "gc.gen1", "gc.gen2",
        "pause.p50", "pause.p99", "pause.max", "pause.last", "pause.mean",
        "pause.ratio",
        "cpu.user", "cpu.system", "cpu.count",
        "memory.working_set", "memory.limit",
        "threadpool.threads", "threadpool.queue",
        "lock.rate", "exception.rate",
    ];

    private static readonly MetricId[] s_heap = [MetricId.GcLastHeapSizeGen0, MetricId.GcLastHeapSizeGen1, MetricId.GcLastHeapSizeGen2, MetricId.GcLastHeapSizeLoh, MetricId.GcLastHeapSizePoh];

    // "G6" keeps six significant digits: enough for a chart, and it bounds every number at 13 bytes.
    private const int MaxNumberBytes = 14;

    // Beyond this many collections in a window, points would only blur into the p50/p99/max lines.
    private const int MaxPausePoints = 8;

    // ",[" unix ms (at most 20 bytes) "," seconds "," generation "]".
    private const int MaxPausePointBytes = 40;

    /// <summary>Gets the key of every value of a frame, in order; the page finds its series by these keys.</summary>
    public static IReadOnlyList<string> Columns => s_columns;

    /// <summary>Gets the longest frame: every column at its longest, with room to spare. A history slot is this long.</summary>
    public static int MaxFrameBytes { get; } = 160 + (s_columns.Length * MaxNumberBytes) + 8 + (MaxPausePoints * MaxPausePointBytes);

    /// <summary>Writes the frame of a sample whose deltas and histogram windows are those of the page's own lane.</summary>
    /// <param name="snapshot">The sample.</param>
    /// <param name="id">The message id: the page instance and the sample's number, as ASCII.</param>
    /// <param name="destination">At least <see cref="MaxFrameBytes"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    public static int Write(RuntimeSnapshot snapshot, ReadOnlySpan<byte> id, Span<byte> destination)
    {
        var writer = new Writer(destination);
        writer.Raw("id: "u8);
        writer.Raw(id);
        writer.Raw("\ndata: {\"t\":"u8);
        writer.Integer(snapshot.Timestamp.ToUnixTimeMilliseconds());
        double seconds = snapshot.Elapsed.TotalSeconds;
        writer.Raw(",\"d\":"u8);
        writer.Number(seconds > 0 ? seconds : double.NaN);
        writer.Raw(",\"v\":["u8);

        ReadOnlySpan<double> values = snapshot.Values;
        foreach (MetricId heap in s_heap)
        {
            writer.Value(values[(int)heap]);
        }

        writer.Value(Rate(snapshot, MetricId.GcHeapTotalAllocated, seconds));
        writer.Value(Rate(snapshot, MetricId.GcCollectionsGen0, seconds));
        writer.Value(Rate(snapshot, MetricId.GcCollectionsGen1, seconds));
        writer.Value(Rate(snapshot, MetricId.GcCollectionsGen2, seconds));
        WritePauses(ref writer, snapshot);
        writer.Value(values[(int)MetricId.GcPauseRatio]);
        writer.Value(Rate(snapshot, MetricId.ProcessCpuTimeUser, seconds));
        writer.Value(Rate(snapshot, MetricId.ProcessCpuTimeSystem, seconds));
        writer.Value(values[(int)MetricId.ProcessCpuCount]);
        writer.Value(values[(int)MetricId.ProcessWorkingSet]);
        writer.Value(values[(int)MetricId.GcMemoryLimit]);
        writer.Value(values[(int)MetricId.ThreadPoolThreadCount]);
        writer.Value(values[(int)MetricId.ThreadPoolQueueLength]);
        writer.Value(Rate(snapshot, MetricId.MonitorLockContentions, seconds));
        writer.Value(Rate(snapshot, MetricId.Exceptions, seconds), last: true);
        writer.Raw("]"u8);
        WritePausePoints(ref writer, snapshot);
        writer.Raw("}\n\n"u8);
        return writer.Length;
    }

    /// <summary>
    /// Estimates a quantile of the window's pauses from the bucket counts, as Prometheus' <c>histogram_quantile</c>
    /// does: linearly inside the bucket that holds it, then kept within the window's smallest and largest pause.
    /// </summary>
    internal static double Quantile(ReadOnlySpan<long> buckets, long count, double quantile, double min, double max)
    {
        if (count <= 0)
        {
            return double.NaN;
        }

        ReadOnlySpan<double> bounds = RuntimeMetricCatalog.GcPauseBounds;
        double rank = quantile * count;
        long below = 0;
        for (int i = 0; i < buckets.Length; i++)
        {
            long inBucket = buckets[i];
            if (inBucket > 0 && below + inBucket >= rank)
            {
                double lower = i == 0 ? 0 : bounds[i - 1];
                double upper = i < bounds.Length ? bounds[i] : (double.IsNaN(max) ? lower : max);
                double value = lower + ((upper - lower) * Math.Max(0, rank - below) / inBucket);
                value = double.IsNaN(max) ? value : Math.Min(value, max);
                return double.IsNaN(min) ? value : Math.Max(value, min);
            }

            below += inBucket;
        }

        return max;
    }

    private static void WritePauses(ref Writer writer, RuntimeSnapshot snapshot)
    {
        // The distribution of the window's pauses, over every generation and kind, when a pause capture feeds it.
        double p50 = double.NaN, p99 = double.NaN, max = double.NaN;
        if (snapshot.HasHistograms)
        {
            Span<long> merged = stackalloc long[RuntimeSnapshot.BucketSlots];
            long count = 0;
            double min = double.NaN;
            for (int h = 0; h < RuntimeMetricCatalog.HistogramCount; h++)
            {
                ReadOnlySpan<long> buckets = snapshot.HistogramBucketsWindow.Slice(h * RuntimeSnapshot.BucketSlots, RuntimeSnapshot.BucketSlots);
                for (int b = 0; b < merged.Length; b++)
                {
                    merged[b] += buckets[b];
                }

                count += snapshot.HistogramCountWindow[h];
                min = Extreme(min, snapshot.HistogramMinWindow[h], smallest: true);
                max = Extreme(max, snapshot.HistogramMaxWindow[h], smallest: false);
            }

            p50 = Quantile(merged, count, 0.5, min, max);
            p99 = Quantile(merged, count, 0.99, min, max);
            max = count > 0 ? max : double.NaN;
        }

        writer.Value(p50);
        writer.Value(p99);
        writer.Value(max);

        // Without a distribution, what every snapshot has: the last collection's pause, and the mean over the window.
        writer.Value(snapshot.Values[(int)MetricId.GcLastPauseDuration]);
        double collections = 0;
        collections += snapshot.Deltas[(int)MetricId.GcCollectionsGen0];
        collections += snapshot.Deltas[(int)MetricId.GcCollectionsGen1];
        collections += snapshot.Deltas[(int)MetricId.GcCollectionsGen2];
        double paused = snapshot.Deltas[(int)MetricId.GcPauseTime];
        writer.Value(collections > 0 ? paused / collections : double.NaN);
    }

    private static void WritePausePoints(ref Writer writer, RuntimeSnapshot snapshot)
    {
        ReadOnlySpan<GcCollectionInfo> collections = snapshot.Collections;
        if (collections.IsEmpty || collections.Length > MaxPausePoints || snapshot.CollectionsOmitted > 0)
        {
            return;
        }

        writer.Raw(",\"p\":["u8);
        for (int i = 0; i < collections.Length; i++)
        {
            GcCollectionInfo collection = collections[i];
            writer.Raw(i == 0 ? "["u8 : ",["u8);
            writer.Integer(collection.ObservedAt.ToUnixTimeMilliseconds());
            writer.Raw(","u8);
            writer.Number(collection.PauseDuration.TotalSeconds);
            writer.Raw(","u8);
            writer.Integer(Math.Clamp(collection.Generation, 0, 2));
            writer.Raw("]"u8);
        }

        writer.Raw("]"u8);
    }

    private static double Extreme(double current, double candidate, bool smallest)
    {
        if (double.IsNaN(candidate))
        {
            return current;
        }

        return double.IsNaN(current) ? candidate : smallest ? Math.Min(current, candidate) : Math.Max(current, candidate);
    }

    private static double Rate(RuntimeSnapshot snapshot, MetricId counter, double seconds) =>
        seconds > 0 && snapshot.TryGetDelta(counter, out double delta) ? delta / seconds : double.NaN;

    private ref struct Writer
    {
        private readonly Span<byte> _buffer;

        public Writer(Span<byte> buffer) => _buffer = buffer;

        public int Length { get; private set; }

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer[Length..]);
            Length += bytes.Length;
        }

        public void Integer(long value)
        {
            value.TryFormat(_buffer[Length..], out int written, default, CultureInfo.InvariantCulture);
            Length += written;
        }

        public void Number(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                Raw("null"u8);
                return;
            }

            value.TryFormat(_buffer[Length..], out int written, "G6", CultureInfo.InvariantCulture);
            Length += written;
        }

        public void Value(double value, bool last = false)
        {
            Number(value);
            if (!last)
            {
                Raw(","u8);
            }
        }
    }
}
