using RuntimeProfiling.Cli.Attach;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Cli.Tests.Attach;

public sealed class SystemRuntimeMeterTests
{
    // Instruments, units and tags as a .NET 10 process publishes them (captured over EventPipe).
    [Theory]
    [InlineData("dotnet.gc.collections", "{collection}", "gc.heap.generation=gen1", MetricId.GcCollectionsGen1)]
    [InlineData("dotnet.gc.last_collection.heap.size", "By", "gc.heap.generation=poh", MetricId.GcLastHeapSizePoh)]
    [InlineData("dotnet.gc.last_collection.heap.fragmentation.size", "By", "gc.heap.generation=loh", MetricId.GcLastFragmentationLoh)]
    [InlineData("dotnet.gc.last_collection.memory.committed_size", "By", "", MetricId.GcLastCommitted)]
    [InlineData("dotnet.gc.pause.time", "s", "", MetricId.GcPauseTime)]
    [InlineData("dotnet.gc.heap.total_allocated", "By", "", MetricId.GcHeapTotalAllocated)]
    [InlineData("dotnet.process.cpu.time", "s", "cpu.mode=system", MetricId.ProcessCpuTimeSystem)]
    [InlineData("dotnet.process.cpu.count", "{cpu}", "", MetricId.ProcessCpuCount)]
    [InlineData("dotnet.process.memory.working_set", "By", "", MetricId.ProcessWorkingSet)]
    [InlineData("dotnet.thread_pool.thread.count", "{thread}", "", MetricId.ThreadPoolThreadCount)]
    [InlineData("dotnet.thread_pool.queue.length", "{work_item}", "", MetricId.ThreadPoolQueueLength)]
    [InlineData("dotnet.thread_pool.work_item.count", "{work_item}", "", MetricId.ThreadPoolWorkItems)]
    [InlineData("dotnet.monitor.lock_contentions", "{contention}", "", MetricId.MonitorLockContentions)]
    [InlineData("dotnet.timer.count", "{timer}", "", MetricId.TimerCount)]
    [InlineData("dotnet.jit.compiled_il.size", "By", "", MetricId.JitCompiledIlSize)]
    [InlineData("dotnet.jit.compiled_methods", "{method}", "", MetricId.JitCompiledMethods)]
    [InlineData("dotnet.jit.compilation.time", "s", "", MetricId.JitCompilationTime)]
    [InlineData("dotnet.assembly.count", "{assembly}", "", MetricId.AssemblyCount)]
    internal void Each_Instrument_Of_The_Meter_Maps_Onto_Its_Catalog_Series(string instrument, string unit, string tags, MetricId expected)
    {
        Assert.True(SystemRuntimeMeter.TryMap(instrument, unit, tags, out MetricSeries? series));
        Assert.Equal((int)expected, series!.Index);
    }

    [Theory]
    [InlineData("dotnet.gc.collections", "{collection}", "")]
    [InlineData("dotnet.gc.collections", "{collection}", "gc.heap.generation=gen3")]
    [InlineData("dotnet.gc.collections", "{collection}", "gc.heap.generation=gen0,other=x")]
    [InlineData("dotnet.gc.pause.time", "ms", "")]
    [InlineData("dotnet.gc.pause.duration", "s", "gc.heap.generation=gen0,gc.collection.kind=ephemeral")]
    [InlineData("runtime_profiler.sink.errors", "{error}", "")]
    [InlineData("dotnet.unknown", "1", "")]
    public void Anything_That_Is_Not_The_Same_Figure_Is_Not_Mapped(string instrument, string unit, string tags)
    {
        Assert.False(SystemRuntimeMeter.TryMap(instrument, unit, tags, out _));
    }
}
