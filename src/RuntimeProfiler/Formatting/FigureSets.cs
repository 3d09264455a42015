using RuntimeProfiling.Model;

namespace RuntimeProfiling.Formatting;

/// <summary>The figures of each naming, built once.</summary>
internal static class FigureSets
{
    private const double NanosecondsPerSecond = 1e9;

    private static readonly Figure[] s_openTelemetry = [.. RuntimeMetricCatalog.Series.Select(s => new Figure(s))];
    private static readonly Figure[] s_original = BuildOriginal();

    public static Figure[] Get(MetricNaming naming) => naming switch
    {
        MetricNaming.OpenTelemetry => s_openTelemetry,
        MetricNaming.Original => s_original,
        _ => throw new ArgumentOutOfRangeException(nameof(naming), naming, "Unknown naming."),
    };

    private static double V(RuntimeSnapshot s, MetricId id) => s.Values[(int)id];

    private static Figure[] BuildOriginal()
    {
        const MetricGroup Gc = MetricGroup.GarbageCollector;
        const MetricGroup Mem = MetricGroup.CpuAndMemory;
        return
        [
            new("runtime.goroutines", "{thread}", MetricGroup.ThreadPoolAndLocks, "Thread-pool threads (the closest .NET counterpart of goroutines).", static s => V(s, MetricId.ThreadPoolThreadCount)),
            new("runtime.mem.alloc_bytes", "By", MetricGroup.Allocation, "Bytes allocated on the managed heap and not yet freed (GC.GetTotalMemory).", static s => V(s, MetricId.GcHeapSize)),
            new("runtime.mem.alloc_bytes_total", "By", MetricGroup.Allocation, "Bytes allocated on the managed heap since the process started.", static s => V(s, MetricId.GcHeapTotalAllocated), isRunningTotal: true),
            new("runtime.mem.sys_bytes", "By", Mem, "Resident memory of the process.", static s => V(s, MetricId.ProcessWorkingSet)),
            new("runtime.mem.heap.alloc_bytes", "By", Gc, "Bytes allocated on the managed heap and not yet freed (GC.GetTotalMemory).", static s => V(s, MetricId.GcHeapSize)),
            new("runtime.mem.heap.sys_bytes", "By", Gc, "Memory committed by the garbage collector at the last collection.", static s => V(s, MetricId.GcLastCommitted)),
            new("runtime.mem.heap.idle_bytes", "By", Gc, "Memory committed by the garbage collector but not in use by the heap, at the last collection.", static s => Math.Max(0, V(s, MetricId.GcLastCommitted) - V(s, MetricId.GcLastHeapTotalSize))),
            new("runtime.mem.heap.inuse_bytes", "By", Gc, "Size of the managed heap after the last collection.", static s => V(s, MetricId.GcLastHeapTotalSize)),
            new("runtime.gc.last_finished_ts", "ns", Gc, "Unix time at which the last collection was observed.", static s => Math.Round(V(s, MetricId.GcLastCollectionTime) * NanosecondsPerSecond), isTimestamp: true),
            new("runtime.gc.pause_total_ns", "ns", Gc, "Total time paused by garbage collections since the process started.", static s => Math.Round(V(s, MetricId.GcPauseTime) * NanosecondsPerSecond), isRunningTotal: true),
            new("runtime.gc.pause_ns", "ns", Gc, "Pause time of the last garbage collection.", static s => Math.Round(V(s, MetricId.GcLastPauseDuration) * NanosecondsPerSecond)),
            new("runtime.gc.count", "{collection}", Gc, "Garbage collections since the process started.", static s => V(s, MetricId.GcCollectionsGen0) + V(s, MetricId.GcCollectionsGen1) + V(s, MetricId.GcCollectionsGen2), isRunningTotal: true),
            new("runtime.gc.cpu_use", "1", Gc, "Fraction of wall time spent paused by garbage collections over the last interval.", static s => V(s, MetricId.GcPauseRatio)),
        ];
    }
}
