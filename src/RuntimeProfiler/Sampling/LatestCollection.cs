using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>The latest collection the pause capture observed, and when: what the last-collection figures describe.</summary>
/// <param name="Info">The runtime's record of the collection.</param>
/// <param name="ObservedAt">When the capture first saw it; the source of <see cref="MetricId.GcLastCollectionTime"/>.</param>
/// <param name="Exists">False before the first collection observed, when the other two are empty.</param>
internal readonly record struct LatestCollection(GCMemoryInfo Info, DateTimeOffset ObservedAt, bool Exists);
