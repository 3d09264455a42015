using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Tests.Sampling;

[Collection(SerialTestGroup.Name)]
public sealed class RuntimeSamplerTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly RuntimeSampler _sampler;

    public RuntimeSamplerTests()
    {
        _sampler = new RuntimeSampler(_clock);
        _sampler.Start();
    }

    public void Dispose() => _sampler.Dispose();

    [Fact]
    public void Every_Figure_But_Profiler_Health_Is_Read_After_A_Collection()
    {
        GC.Collect();
        RuntimeSnapshot snapshot = Read();
        foreach (MetricSeries series in RuntimeMetricCatalog.Series)
        {
            bool expected = series.Group != MetricGroup.Profiler && series.Id != MetricId.GcPauseRatio && series.Kind != MetricKind.Histogram;
            Assert.True(expected == snapshot.TryGetValue(series, out double value), $"{series}: {value}");
            if (expected)
            {
                Assert.True(value >= 0, $"{series} is negative: {value}");
            }
        }
    }

    [Fact]
    public void Allocated_Bytes_Rise_By_What_Was_Allocated()
    {
        RuntimeSnapshot before = Read();
        var keep = new List<byte[]>();
        for (int i = 0; i < 10; i++)
        {
            keep.Add(new byte[1024 * 1024]);
        }

        RuntimeSnapshot after = Read();
        GC.KeepAlive(keep);
        // The cheap (imprecise) total counts each thread's allocation context when it is handed out, so it
        // may run ahead of or behind the exact figure by up to one context (8 KB) per allocating thread.
        const double Slack = 64 * 1024;
        double allocated = Value(after, MetricId.GcHeapTotalAllocated) - Value(before, MetricId.GcHeapTotalAllocated);
        Assert.InRange(allocated, (10 * 1024 * 1024) - Slack, (10 * 1024 * 1024) + (1024 * 1024));
    }

    [Fact]
    public void A_Forced_Gen2_Collection_Adds_One_Gen2_Collection_And_Refreshes_The_Last_Collection_Figures()
    {
        RuntimeSnapshot before = Read();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        RuntimeSnapshot after = Read();

        Assert.Equal(1, Value(after, MetricId.GcCollectionsGen2) - Value(before, MetricId.GcCollectionsGen2));
        Assert.Equal(GC.CollectionCount(2), Value(after, MetricId.GcCollectionsGen2));
        Assert.Equal(GC.CollectionCount(0), Value(after, MetricId.GcCollectionsGen0) + Value(after, MetricId.GcCollectionsGen1) + Value(after, MetricId.GcCollectionsGen2));
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        Assert.Equal(info.PromotedBytes, Value(after, MetricId.GcLastPromoted));
        Assert.Equal(info.GenerationInfo[2].SizeAfterBytes, Value(after, MetricId.GcLastHeapSizeGen2));
        Assert.Equal(info.HeapSizeBytes, Value(after, MetricId.GcLastHeapTotalSize));
        Assert.Equal(GC.GetTotalPauseDuration().TotalSeconds, Value(after, MetricId.GcPauseTime), 6);
        Assert.Equal((_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds, Value(after, MetricId.GcLastCollectionTime), 3);
    }

    [Fact]
    public void Memory_Info_Is_Read_Only_For_A_Collection_Not_Observed_Yet()
    {
        // With no sentinel, the sampler's reads are the only observer, so every GetGCMemoryInfo call is theirs.
        using var sampler = new RuntimeSampler(_clock, new ProcessStatSampler(), new GcPauseCapture(_clock, armSentinel: false));
        sampler.Start();
        var snapshot = new RuntimeSnapshot();
        GC.Collect();
        sampler.Read(snapshot, null);
        long reads = sampler.Pauses.MemoryInfoReads;
        Assert.True(reads > 0);
        int gen0 = GC.CollectionCount(0);
        sampler.Read(snapshot, null);
        sampler.Read(snapshot, null);
        if (GC.CollectionCount(0) == gen0)
        {
            Assert.Equal(reads, sampler.Pauses.MemoryInfoReads);
        }

        GC.Collect();
        sampler.Read(snapshot, null);
        Assert.True(sampler.Pauses.MemoryInfoReads > reads);
    }

    [Fact]
    public void A_Sampler_Started_After_Collections_Reports_The_Last_One_From_Its_First_Read()
    {
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        using var sampler = new RuntimeSampler(_clock);
        _clock.Advance(TimeSpan.FromSeconds(1));
        sampler.Start();
        var snapshot = new RuntimeSnapshot();
        sampler.Read(snapshot, null);
        GCMemoryInfo latest = GC.GetGCMemoryInfo();
        Assert.Equal(latest.PromotedBytes, Value(snapshot, MetricId.GcLastPromoted));
        Assert.True(snapshot.TryGetValue(RuntimeMetricCatalog.Find("dotnet.gc.last_collection.time")!, out double seen));

        // First seen when the capture started (or later, by the sentinel, if a collection ran meanwhile).
        Assert.True(seen >= (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds - 1e-6);
    }

    [Fact]
    public void The_Last_Collection_Figures_Describe_The_Collection_Observed_Last_And_When()
    {
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        _clock.Advance(TimeSpan.FromSeconds(3));
        RuntimeSnapshot snapshot = Read();
        Assert.True(_sampler.Pauses.TryGetLatest(out GCMemoryInfo latest, out DateTimeOffset observedAt));
        Assert.Equal(GC.CollectionCount(0), latest.Index);
        Assert.Equal(latest.PromotedBytes, Value(snapshot, MetricId.GcLastPromoted));
        Assert.Equal((observedAt - DateTimeOffset.UnixEpoch).TotalSeconds, Value(snapshot, MetricId.GcLastCollectionTime), 6);

        // Observed by the sentinel right after the GC (before the clock moved), or by this read (after it).
        Assert.True(observedAt == _clock.GetUtcNow() || observedAt == _clock.GetUtcNow() - TimeSpan.FromSeconds(3), observedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Cpu_Time_Rises_By_At_Least_What_This_Thread_Burned()
    {
        // The independent read is this thread's own CPU time from /proc/thread-self/stat (clock ticks), so the
        // test burns a fixed amount of CPU however loaded the machine is, rather than spinning for a wall time.
        RuntimeSnapshot before = Read();
        double threadStart = ThreadCpuSeconds();
        double x = 0;
        while (ThreadCpuSeconds() - threadStart < 0.25)
        {
            for (int i = 0; i < 100_000; i++)
            {
                x += Math.Sqrt(x + i);
            }
        }

        double burned = ThreadCpuSeconds() - threadStart;
        RuntimeSnapshot after = Read();
        GC.KeepAlive(x);
        double used = Value(after, MetricId.ProcessCpuTimeUser) + Value(after, MetricId.ProcessCpuTimeSystem)
            - Value(before, MetricId.ProcessCpuTimeUser) - Value(before, MetricId.ProcessCpuTimeSystem);

        // The process figure includes this thread's time; allow one clock tick of the coarser thread figure.
        Assert.True(used >= burned - 0.01, $"process CPU rose {used} s while this thread alone burned {burned} s");
    }

    private static double ThreadCpuSeconds()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // Fields 14 and 15 (utime, stime) in proc(5) numbering; this array starts at field 3.
        long ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    [Fact]
    public async Task Lock_Contentions_Rise_When_A_Lock_Is_Contended()
    {
        RuntimeSnapshot before = Read();
        object gate = new();
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task owner = Task.Run(() =>
        {
            lock (gate)
            {
                held.Set();
                release.Wait();
            }
        });
        held.Wait();
        Task waiter = Task.Run(() =>
        {
            lock (gate)
            {
            }
        });

        // Let the waiter block on the monitor before the owner lets go.
        while (Monitor.LockContentionCount == (long)Value(before, MetricId.MonitorLockContentions))
        {
            await Task.Yield();
        }

        release.Set();
        await Task.WhenAll(owner, waiter);
        RuntimeSnapshot after = Read();
        Assert.True(Value(after, MetricId.MonitorLockContentions) > Value(before, MetricId.MonitorLockContentions));
    }

    [Fact]
    public void Exceptions_Are_Counted_While_Started_And_Not_After_Stop()
    {
        RuntimeSnapshot before = Read();
        for (int i = 0; i < 5; i++)
        {
            try
            {
                throw new InvalidOperationException("counted");
            }
            catch (InvalidOperationException)
            {
            }
        }

        RuntimeSnapshot during = Read();
        Assert.True(Value(during, MetricId.Exceptions) - Value(before, MetricId.Exceptions) >= 5);

        _sampler.Stop();
        try
        {
            throw new InvalidOperationException("not counted");
        }
        catch (InvalidOperationException)
        {
        }

        RuntimeSnapshot stopped = Read();
        Assert.Equal(Value(during, MetricId.Exceptions), Value(stopped, MetricId.Exceptions));
    }

    [Fact]
    public void Assembly_Count_Matches_The_Loaded_Assemblies()
    {
        RuntimeSnapshot snapshot = Read();
        Assert.Equal(AppDomain.CurrentDomain.GetAssemblies().Length, Value(snapshot, MetricId.AssemblyCount));
    }

    [Fact]
    public void Working_Set_And_Threads_Agree_With_Other_Sources()
    {
        Assert.True(_sampler.ProcessStat.UsesProcStat);
        RuntimeSnapshot snapshot = Read();
#pragma warning disable RS0030 // The allocating read is the independent check here.
        double workingSet = Environment.WorkingSet;
#pragma warning restore RS0030
        double ratio = Value(snapshot, MetricId.ProcessWorkingSet) / workingSet;
        Assert.InRange(ratio, 0.8, 1.25);
        int tasks = Directory.GetDirectories("/proc/self/task").Length;
        Assert.InRange(Value(snapshot, MetricId.ProcessThreads), tasks - 5, tasks + 5);
    }

    [Fact]
    public void Pause_Ratio_Is_The_Pause_Time_Over_The_Wall_Time_Between_Two_Reads()
    {
        RuntimeSnapshot first = Read();
        GC.Collect();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = new RuntimeSnapshot();
        _sampler.Read(second, first);
        double paused = Value(second, MetricId.GcPauseTime) - Value(first, MetricId.GcPauseTime);
        Assert.True(paused > 0);
        Assert.Equal(paused / 1.0, Value(second, MetricId.GcPauseRatio), 9);
    }

    private static double Value(RuntimeSnapshot snapshot, MetricId id) => snapshot.Values[(int)id];

    private RuntimeSnapshot Read()
    {
        var snapshot = new RuntimeSnapshot();
        _sampler.Read(snapshot, null);
        return snapshot;
    }
}
