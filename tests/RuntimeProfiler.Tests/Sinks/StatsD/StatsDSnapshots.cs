using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.StatsD;

/// <summary>Synthetic samples with pause histograms, and a sink over a fake transport to render them.</summary>
internal static class StatsDSnapshots
{
    public static readonly MetricSeries Gen0Pauses = RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen0", "ephemeral")!;
    public static readonly MetricSeries Gen1Pauses = RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen1", "ephemeral")!;
    public static readonly MetricSeries BackgroundPauses = RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen2", "background")!;

    /// <summary>
    /// <see cref="SnapshotFactory.Full"/> with a pause window: seven gen0 pauses from 0.12 ms to 0.93 ms summing to
    /// 2.9 ms (three in the bucket up to 0.25 ms, two up to 0.5 ms, two up to 1 ms), and one background pause of 4.2 ms.
    /// </summary>
    public static RuntimeSnapshot WithPauses()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        snapshot.HasHistograms = true;
        SetWindow(snapshot, Gen0Pauses, count: 7, sum: 0.0029, min: 0.00012, max: 0.00093, (4, 3), (5, 2), (6, 2));
        SetWindow(snapshot, BackgroundPauses, count: 1, sum: 0.0042, min: 0.0042, max: 0.0042, (7, 1));
        return snapshot;
    }

    public static void SetWindow(RuntimeSnapshot snapshot, MetricSeries series, long count, double sum, double min, double max, params (int Bucket, long Count)[] buckets)
    {
        int h = series.HistogramIndex;
        snapshot.HasHistograms = true;
        snapshot.HistogramCountWindow[h] = count;
        snapshot.HistogramSumWindow[h] = sum;
        snapshot.HistogramMinWindow[h] = min;
        snapshot.HistogramMaxWindow[h] = max;
        snapshot.HistogramBucketsWindow.Slice(h * RuntimeSnapshot.BucketSlots, RuntimeSnapshot.BucketSlots).Clear();
        foreach ((int bucket, long n) in buckets)
        {
            snapshot.HistogramBucketsWindow[(h * RuntimeSnapshot.BucketSlots) + bucket] = n;
        }
    }

    /// <summary>Builds a sink over a fake transport.</summary>
    public static (StatsDSink Sink, FakeStatsDTransport Transport) Sink(StatsDSinkOptions options)
    {
        var transport = new FakeStatsDTransport();
        return (new StatsDSink(options, TimeProvider.System, _ => transport), transport);
    }

    /// <summary>Renders one sample and returns what reached the transport, datagram by datagram.</summary>
    public static async Task<string> RenderAsync(StatsDSinkOptions options, RuntimeSnapshot snapshot)
    {
        (StatsDSink sink, FakeStatsDTransport transport) = Sink(options);
        using (sink)
        {
            await sink.WriteAsync(snapshot, CancellationToken.None);
            return transport.Text;
        }
    }
}
