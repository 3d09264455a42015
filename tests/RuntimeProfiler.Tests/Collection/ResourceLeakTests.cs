using RuntimeProfiling.Collection;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Collection;

/// <summary>After a stop, nothing of the profiler's is left: no thread, no timer, no open file, no event handler.</summary>
[Collection(SerialTestGroup.Name)]
public sealed class ResourceLeakTests
{
    // The sampling thread's and the sinks' delivery threads' names, as /proc/self/task/*/comm shows them.
    private const string SamplerThreadName = "RtProfiler";
    private const string SinkThreadName = "RtProfiler sink";

    [Fact]
    public async Task Start_And_Stop_Repeated_Leave_No_Thread_Timer_Or_Handle_Behind()
    {
        var sink = new CollectingSink();
        await using var profiler = new RuntimeProfiler(sink, TimeSpan.FromMilliseconds(10));
        long timers = Timer.ActiveCount;
        await AssertNoneLeftByEarlierTestsAsync();

        for (int i = 0; i < 50; i++)
        {
            profiler.Start();
            Assert.Equal(1, await OsThreads.CountAsync(SamplerThreadName, expected: 1));
            Assert.Equal(1, OpenStatHandles());
            await profiler.StopAsync();
            Assert.Equal(0, await OsThreads.CountAsync(SamplerThreadName, expected: 0));
            Assert.Equal(0, await OsThreads.CountAsync(SinkThreadName, expected: 0));
            Assert.Equal(0, OpenStatHandles());

            // The count is the whole process's: a timer of an earlier test may go away meanwhile, but a timer of
            // ours left behind per cycle would raise it above the start within a few of the fifty.
            Assert.True(Timer.ActiveCount <= timers, $"{Timer.ActiveCount} timers after stop {i + 1}, {timers} before the first start");
        }

        Assert.True(sink.Count >= 50, $"only {sink.Count} samples: every stop flushes one");
    }

    [Fact]
    public async Task Disposing_Without_Stopping_Leaves_Nothing_Behind()
    {
        var profiler = new RuntimeProfiler(new CollectingSink(), TimeSpan.FromMilliseconds(10));
        await AssertNoneLeftByEarlierTestsAsync();
        profiler.Start();
        profiler.Dispose();
        Assert.Equal(0, await OsThreads.CountAsync(SamplerThreadName, expected: 0));
        Assert.Equal(0, await OsThreads.CountAsync(SinkThreadName, expected: 0));
        Assert.Equal(0, OpenStatHandles());
    }

    [Fact]
    public async Task Disposing_A_Profiler_That_Never_Ran_Ends_A_Delivery_Thread_A_Tick_Started()
    {
        var profiler = new RuntimeProfiler(new CollectingSink(), TimeSpan.FromSeconds(1));
        await AssertNoneLeftByEarlierTestsAsync();

        // Ticked directly, as the allocation test does: no run, so no stop would end the thread.
        profiler.Tick(CancellationToken.None);
        await profiler.WhenSinksIdleAsync();
        Assert.Equal(1, await OsThreads.CountAsync(SinkThreadName, expected: 1));

        await profiler.DisposeAsync();
        Assert.Equal(0, await OsThreads.CountAsync(SinkThreadName, expected: 0));
    }

    /// <summary>Tells a thread an earlier test left (the leak is that test's) from one this test's stop left.</summary>
    private static async Task AssertNoneLeftByEarlierTestsAsync()
    {
        int sinks = await OsThreads.CountAsync(SinkThreadName, expected: 0);
        int samplers = await OsThreads.CountAsync(SamplerThreadName, expected: 0);
        Assert.True(sinks == 0 && samplers == 0, $"before this test started: {samplers} sampling and {sinks} delivery threads of an earlier test still run");
    }

    private static int OpenStatHandles() => Directory.GetFiles("/proc/self/fd")
        .Select(fd => new FileInfo(fd).LinkTarget)
        .Count(target => target is not null && target.EndsWith("/stat", StringComparison.Ordinal) && target.StartsWith("/proc/", StringComparison.Ordinal));
}
