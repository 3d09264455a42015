using RuntimeProfiling.Model;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>What one snapshot held, copied so it outlives the snapshot.</summary>
internal sealed record CollectedSample(long Sequence, DateTimeOffset Timestamp, TimeSpan Elapsed, double[] Values, double[] Deltas)
{
    public static CollectedSample From(RuntimeSnapshot snapshot) =>
        new(snapshot.Sequence, snapshot.Timestamp, snapshot.Elapsed, snapshot.Values.ToArray(), snapshot.Deltas.ToArray());

    public double Value(MetricId id) => Values[(int)id];

    public double Delta(MetricId id) => Deltas[(int)id];
}
