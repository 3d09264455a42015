namespace RuntimeProfiling.Model;

/// <summary>The area of the runtime a figure belongs to; the console sink groups its table by it.</summary>
public enum MetricGroup
{
    /// <summary>Garbage collections, heap sizes and pauses.</summary>
    GarbageCollector,

    /// <summary>Allocation totals.</summary>
    Allocation,

    /// <summary>Processor time, resident memory and operating-system threads.</summary>
    CpuAndMemory,

    /// <summary>Thread pool, lock contention and timers.</summary>
    ThreadPoolAndLocks,

    /// <summary>Just-in-time compilation.</summary>
    Jit,

    /// <summary>Exceptions and loaded assemblies.</summary>
    Runtime,

    /// <summary>The profiler's own health: sample duration, skipped ticks, sink errors.</summary>
    Profiler,
}
