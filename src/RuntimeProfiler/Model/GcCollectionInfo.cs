using System.Runtime.InteropServices;

namespace RuntimeProfiling.Model;

/// <summary>
/// One garbage collection as the profiler observed it, with the detail <see cref="GC.GetGCMemoryInfo(GCKind)"/>
/// gives for it: generation, kind, pauses, promoted bytes, heap size and fragmentation after it, and
/// whether it compacted.
/// </summary>
/// <remarks>An immutable value; see <see cref="RuntimeSnapshot.Collections"/>.</remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct GcCollectionInfo
{
    internal GcCollectionInfo(long sequence, in GCMemoryInfo info, GcCollectionKind kind, DateTimeOffset observedAt)
        : this(
            sequence,
            info.Index,
            info.Generation,
            kind,
            info.PauseDurations.Length > 0 ? info.PauseDurations[0] : TimeSpan.Zero,
            info.PauseDurations.Length > 1 ? info.PauseDurations[1] : TimeSpan.Zero,
            info.Compacted,
            info.PromotedBytes,
            info.HeapSizeBytes,
            info.FragmentedBytes,
            observedAt)
    {
    }

    internal GcCollectionInfo(
        long sequence, long index, int generation, GcCollectionKind kind, TimeSpan firstPause, TimeSpan secondPause,
        bool compacted, long promotedBytes, long heapSizeBytes, long fragmentedBytes, DateTimeOffset observedAt)
    {
        Sequence = sequence;
        Index = index;
        Generation = generation;
        Kind = kind;
        FirstPauseDuration = firstPause;
        SecondPauseDuration = secondPause;
        Compacted = compacted;
        PromotedBytes = promotedBytes;
        HeapSizeBytes = heapSizeBytes;
        FragmentedBytes = fragmentedBytes;
        ObservedAt = observedAt;
    }

    /// <summary>Gets the number the runtime gave this collection (<see cref="GCMemoryInfo.Index"/>): 1 for the first of the process, one more for each after it.</summary>
    public long Index { get; }

    /// <summary>Gets the highest generation the collection collected: 0, 1 or 2.</summary>
    public int Generation { get; }

    /// <summary>Gets whether the collection was ephemeral, full blocking or background.</summary>
    public GcCollectionKind Kind { get; }

    /// <summary>Gets the time the collection paused the application: the sum of both pauses of a background collection. This is the value the pause histogram records.</summary>
    public TimeSpan PauseDuration => FirstPauseDuration + SecondPauseDuration;

    /// <summary>Gets the pause of a blocking collection, or the initial pause of a background one.</summary>
    public TimeSpan FirstPauseDuration { get; }

    /// <summary>Gets the final pause of a background collection; <see cref="TimeSpan.Zero"/> for blocking ones.</summary>
    public TimeSpan SecondPauseDuration { get; }

    /// <summary>Gets whether the collection compacted the heap (rather than only sweeping it).</summary>
    public bool Compacted { get; }

    /// <summary>Gets the bytes that survived the collection and were promoted, in bytes.</summary>
    public long PromotedBytes { get; }

    /// <summary>Gets the size of the managed heap after the collection, in bytes.</summary>
    public long HeapSizeBytes { get; }

    /// <summary>Gets the free space inside the managed heap after the collection, in bytes.</summary>
    public long FragmentedBytes { get; }

    /// <summary>Gets the time at which the profiler observed the end of the collection: within microseconds of it normally, later when the finalizer thread is busy.</summary>
    public DateTimeOffset ObservedAt { get; }

    /// <summary>Gets the order in which the profiler observed collections (a background collection is observed when it ends, after the ephemeral ones that ran during it).</summary>
    internal long Sequence { get; }
}
