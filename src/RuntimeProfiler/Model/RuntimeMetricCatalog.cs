namespace RuntimeProfiling.Model;

/// <summary>
/// Every figure the profiler reports: canonical name, unit, kind, attributes and description.
/// Names, units and attributes follow the runtime's own <c>System.Runtime</c> meter (the OpenTelemetry
/// conventions for .NET); figures the conventions lack use the same style.
/// </summary>
/// <remarks>
/// Sinks render this catalog in their system's convention; they never invent names.
/// See <c>docs/metrics.md</c> for the source of each figure.
/// </remarks>
public static class RuntimeMetricCatalog
{
    private const string Generation = "gc.heap.generation";
    private const string CpuMode = "cpu.mode";
    private const string CollectionKind = "gc.collection.kind";
    private const string Reason = "reason";

    // Upper bounds, in seconds, of the GC pause histogram: 10 µs to 10 s in 1-2.5-5 steps. Ephemeral
    // pauses sit in the first third, blocking gen2 pauses of large heaps in the last.
    private static readonly double[] s_gcPauseBounds =
    [
        0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
        0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];

    private static readonly MetricSeries[] s_series = Build();

    /// <summary>Gets every series, in a fixed order; <see cref="MetricSeries.Index"/> is the position in this list.</summary>
    public static IReadOnlyList<MetricSeries> Series => s_series;

    /// <summary>
    /// Gets the upper bounds, in seconds and ascending, of the buckets of the GC pause histogram
    /// (<c>dotnet.gc.pause.duration</c>): 10 µs to 10 s in 1, 2.5, 5 steps, plus an implicit last bucket
    /// for everything above 10 s.
    /// </summary>
    public static IReadOnlyList<double> GcPauseBucketBounds => s_gcPauseBounds;

    /// <summary>Finds a series by canonical name and the values of its attributes, in catalog order.</summary>
    /// <param name="name">The canonical name, for example <c>dotnet.gc.collections</c>.</param>
    /// <param name="attributeValues">The attribute values, for example <c>gen0</c>; none for series without attributes.</param>
    /// <returns>The series, or <see langword="null"/> when the catalog has none with that name and those attribute values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public static MetricSeries? Find(string name, params string?[] attributeValues)
    {
        ArgumentNullException.ThrowIfNull(name);
        attributeValues ??= [];
        int wanted = attributeValues.Length == 1 && attributeValues[0] is null ? 0 : attributeValues.Length;
        foreach (MetricSeries series in s_series)
        {
            ReadOnlySpan<KeyValuePair<string, string>> attributes = series.AttributeSpan;
            if (!string.Equals(series.Name, name, StringComparison.Ordinal) || attributes.Length != wanted)
            {
                continue;
            }

            bool match = true;
            for (int i = 0; i < wanted; i++)
            {
                match &= string.Equals(attributes[i].Value, attributeValues[i], StringComparison.Ordinal);
            }

            if (match)
            {
                return series;
            }
        }

        return null;
    }

    internal static int Count => s_series.Length;

    internal static int HistogramCount { get; } = s_series.Count(s => s.Kind == MetricKind.Histogram);

    internal static double[] GcPauseBounds => s_gcPauseBounds;

    internal static MetricSeries Get(MetricId id) => s_series[(int)id];

    private static MetricSeries[] Build()
    {
        var list = new List<MetricSeries>();

        int histograms = 0;
        void Add(MetricId id, string name, string unit, MetricKind kind, MetricGroup group, string description, string? key = null, string? value = null, string? key2 = null, string? value2 = null)
        {
            if ((int)id != list.Count)
            {
                throw new InvalidOperationException($"Catalog order broken at {id}: MetricId and the catalog must list series in the same order.");
            }

            KeyValuePair<string, string>[] attributes = (key, key2) switch
            {
                (null, _) => [],
                (_, null) => [new(key, value!)],
                _ => [new(key, value!), new(key2, value2!)],
            };
            int histogramIndex = kind == MetricKind.Histogram ? histograms++ : -1;
            list.Add(new MetricSeries(id, name, unit, kind, group, description, attributes, histogramIndex));
        }

        const MetricKind G = MetricKind.Gauge;
        const MetricKind C = MetricKind.Counter;
        const MetricGroup Gc = MetricGroup.GarbageCollector;

        const string Collections = "Number of garbage collections that collected this generation (each GC counted once, under the highest generation it collected).";
        Add(MetricId.GcCollectionsGen0, "dotnet.gc.collections", "{collection}", C, Gc, Collections, Generation, "gen0");
        Add(MetricId.GcCollectionsGen1, "dotnet.gc.collections", "{collection}", C, Gc, Collections, Generation, "gen1");
        Add(MetricId.GcCollectionsGen2, "dotnet.gc.collections", "{collection}", C, Gc, Collections, Generation, "gen2");
        Add(MetricId.GcHeapSize, "dotnet.gc.heap.size", "By", G, Gc, "Bytes currently thought to be allocated on the managed heap (GC.GetTotalMemory), between collections too.");

        const string HeapSize = "Size of this generation of the managed heap after the last garbage collection.";
        Add(MetricId.GcLastHeapSizeGen0, "dotnet.gc.last_collection.heap.size", "By", G, Gc, HeapSize, Generation, "gen0");
        Add(MetricId.GcLastHeapSizeGen1, "dotnet.gc.last_collection.heap.size", "By", G, Gc, HeapSize, Generation, "gen1");
        Add(MetricId.GcLastHeapSizeGen2, "dotnet.gc.last_collection.heap.size", "By", G, Gc, HeapSize, Generation, "gen2");
        Add(MetricId.GcLastHeapSizeLoh, "dotnet.gc.last_collection.heap.size", "By", G, Gc, HeapSize, Generation, "loh");
        Add(MetricId.GcLastHeapSizePoh, "dotnet.gc.last_collection.heap.size", "By", G, Gc, HeapSize, Generation, "poh");

        const string Fragmentation = "Free space inside this generation of the managed heap after the last garbage collection.";
        Add(MetricId.GcLastFragmentationGen0, "dotnet.gc.last_collection.heap.fragmentation.size", "By", G, Gc, Fragmentation, Generation, "gen0");
        Add(MetricId.GcLastFragmentationGen1, "dotnet.gc.last_collection.heap.fragmentation.size", "By", G, Gc, Fragmentation, Generation, "gen1");
        Add(MetricId.GcLastFragmentationGen2, "dotnet.gc.last_collection.heap.fragmentation.size", "By", G, Gc, Fragmentation, Generation, "gen2");
        Add(MetricId.GcLastFragmentationLoh, "dotnet.gc.last_collection.heap.fragmentation.size", "By", G, Gc, Fragmentation, Generation, "loh");
        Add(MetricId.GcLastFragmentationPoh, "dotnet.gc.last_collection.heap.fragmentation.size", "By", G, Gc, Fragmentation, Generation, "poh");

        Add(MetricId.GcLastHeapTotalSize, "dotnet.gc.last_collection.heap.total_size", "By", G, Gc, "Total size of the managed heap after the last garbage collection.");
        Add(MetricId.GcLastCommitted, "dotnet.gc.last_collection.memory.committed_size", "By", G, Gc, "Memory committed by the garbage collector at the last garbage collection.");
        Add(MetricId.GcLastPromoted, "dotnet.gc.last_collection.promoted.size", "By", G, Gc, "Bytes that survived the last garbage collection and were promoted.");
        Add(MetricId.GcLastPinnedObjects, "dotnet.gc.last_collection.pinned_objects", "{object}", G, Gc, "Pinned objects seen by the last garbage collection.");
        Add(MetricId.GcFinalizationPending, "dotnet.gc.finalization.pending", "{object}", G, Gc, "Objects ready for finalization at the last garbage collection.");
        Add(MetricId.GcLastPauseDuration, "dotnet.gc.last_collection.pause.duration", "s", G, Gc, "Total pause time of the last garbage collection (both pauses of a background collection).");
        Add(MetricId.GcLastCollectionTime, "dotnet.gc.last_collection.time", "s", G, Gc, "Unix time at which the profiler observed the end of the last garbage collection.");
        Add(MetricId.GcMemoryLoad, "dotnet.gc.memory.load", "By", G, Gc, "Memory in use on the machine or container at the last garbage collection.");
        Add(MetricId.GcMemoryLimit, "dotnet.gc.memory.limit", "By", G, Gc, "Memory available to the garbage collector (the container limit when there is one).");
        Add(MetricId.GcMemoryHighLoadThreshold, "dotnet.gc.memory.high_load_threshold", "By", G, Gc, "Memory load above which the garbage collector becomes more aggressive.");
        Add(MetricId.GcPauseTime, "dotnet.gc.pause.time", "s", C, Gc, "Total time the runtime was paused by garbage collections since the process started.");
        Add(MetricId.GcPauseRatio, "dotnet.gc.pause.ratio", "1", G, Gc, "Fraction of wall time spent paused by garbage collections over the last interval.");

        const MetricKind H = MetricKind.Histogram;
        const string Pause = "Every garbage collection pause, by the generation collected and the kind of collection.";
        Add(MetricId.GcPauseDurationGen0, "dotnet.gc.pause.duration", "s", H, Gc, Pause, Generation, "gen0", CollectionKind, "ephemeral");
        Add(MetricId.GcPauseDurationGen1, "dotnet.gc.pause.duration", "s", H, Gc, Pause, Generation, "gen1", CollectionKind, "ephemeral");
        Add(MetricId.GcPauseDurationGen2Blocking, "dotnet.gc.pause.duration", "s", H, Gc, Pause, Generation, "gen2", CollectionKind, "full_blocking");
        Add(MetricId.GcPauseDurationGen2Background, "dotnet.gc.pause.duration", "s", H, Gc, Pause, Generation, "gen2", CollectionKind, "background");
        Add(MetricId.GcPauseMissed, "dotnet.gc.pause.missed", "{collection}", C, Gc, "Garbage collections that are not in the pause histogram: several ran before the profiler could observe them, or the profiler was stopped.");

        Add(MetricId.GcHeapTotalAllocated, "dotnet.gc.heap.total_allocated", "By", C, MetricGroup.Allocation, "Bytes allocated on the managed heap since the process started.");

        const MetricGroup Cpu = MetricGroup.CpuAndMemory;
        Add(MetricId.ProcessCpuTimeUser, "dotnet.process.cpu.time", "s", C, Cpu, "Processor time used by the process.", CpuMode, "user");
        Add(MetricId.ProcessCpuTimeSystem, "dotnet.process.cpu.time", "s", C, Cpu, "Processor time used by the process.", CpuMode, "system");
        Add(MetricId.ProcessCpuCount, "dotnet.process.cpu.count", "{cpu}", G, Cpu, "Processors available to the process.");
        Add(MetricId.ProcessWorkingSet, "dotnet.process.memory.working_set", "By", G, Cpu, "Physical memory mapped to the process (resident set).");
        Add(MetricId.ProcessThreads, "dotnet.process.threads", "{thread}", G, Cpu, "Operating-system threads of the process.");

        const MetricGroup Pool = MetricGroup.ThreadPoolAndLocks;
        Add(MetricId.ThreadPoolThreadCount, "dotnet.thread_pool.thread.count", "{thread}", G, Pool, "Thread-pool threads that currently exist.");
        Add(MetricId.ThreadPoolQueueLength, "dotnet.thread_pool.queue.length", "{work_item}", G, Pool, "Work items queued to the thread pool and not yet started.");
        Add(MetricId.ThreadPoolWorkItems, "dotnet.thread_pool.work_item.count", "{work_item}", C, Pool, "Work items the thread pool has completed since the process started.");
        Add(MetricId.MonitorLockContentions, "dotnet.monitor.lock_contentions", "{contention}", C, Pool, "Times a thread had to wait for a Monitor lock since the process started.");
        Add(MetricId.TimerCount, "dotnet.timer.count", "{timer}", G, Pool, "Timers that are currently active.");

        const MetricGroup Jit = MetricGroup.Jit;
        Add(MetricId.JitCompiledIlSize, "dotnet.jit.compiled_il.size", "By", C, Jit, "Bytes of intermediate language compiled by the JIT since the process started.");
        Add(MetricId.JitCompiledMethods, "dotnet.jit.compiled_methods", "{method}", C, Jit, "Methods compiled by the JIT since the process started.");
        Add(MetricId.JitCompilationTime, "dotnet.jit.compilation.time", "s", C, Jit, "Time the JIT spent compiling since the process started.");

        Add(MetricId.AssemblyCount, "dotnet.assembly.count", "{assembly}", G, MetricGroup.Runtime, "Assemblies currently loaded.");
        Add(MetricId.Exceptions, "dotnet.exceptions", "{exception}", C, MetricGroup.Runtime, "Exceptions thrown (first chance) since the profiler started.");

        const MetricGroup Self = MetricGroup.Profiler;
        Add(MetricId.ProfilerSampleDuration, "runtime_profiler.sample.duration", "s", G, Self, "Time the profiler took to read the last sample.");
        Add(MetricId.ProfilerTicksSkipped, "runtime_profiler.ticks.skipped", "{tick}", C, Self, "Ticks skipped because the previous sample overran the interval.");
        Add(MetricId.ProfilerSinkErrors, "runtime_profiler.sink.errors", "{error}", C, Self, "Exceptions thrown by sinks.");
        Add(MetricId.ProfilerSinkSkipped, "runtime_profiler.sink.skipped", "{sample}", C, Self, "Samples not handed to a sink because it was still busy with an earlier one.");
        Add(MetricId.PrometheusScrapes, "runtime_profiler.prometheus.scrapes", "{scrape}", C, Self, "Scrapes the Prometheus endpoint answered with metrics.");
        Add(MetricId.PrometheusRejected, "runtime_profiler.prometheus.rejected", "{request}", C, Self, "Requests and connections the Prometheus endpoint refused: malformed, too large, too slow, or over its connection limit.");

        // Written by StatsD sinks (summed over all of them); absent when the profiler has none.
        Add(MetricId.StatsDDatagramsSent, "runtime_profiler.statsd.datagrams", "{datagram}", C, Self, "Datagrams the StatsD sinks handed to the operating system.");
        const string Dropped = "Lines the StatsD sinks did not deliver, by reason.";
        Add(MetricId.StatsDDroppedTooLong, "runtime_profiler.statsd.dropped", "{line}", C, Self, Dropped, Reason, "too_long");
        Add(MetricId.StatsDDroppedNotFinite, "runtime_profiler.statsd.dropped", "{line}", C, Self, Dropped, Reason, "not_finite");
        Add(MetricId.StatsDDroppedUnreachable, "runtime_profiler.statsd.dropped", "{line}", C, Self, Dropped, Reason, "unreachable");
        Add(MetricId.StatsDDroppedBufferFull, "runtime_profiler.statsd.dropped", "{line}", C, Self, Dropped, Reason, "buffer_full");
        Add(MetricId.StatsDDroppedUnresolved, "runtime_profiler.statsd.dropped", "{line}", C, Self, Dropped, Reason, "unresolved");
        Add(MetricId.StatsDDroppedSocketError, "runtime_profiler.statsd.dropped", "{line}", C, Self, Dropped, Reason, "socket_error");

        if (list.Count != Enum.GetValues<MetricId>().Length)
        {
            throw new InvalidOperationException("Every MetricId needs a catalog entry.");
        }

        return [.. list];
    }
}
