using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>Reads the thread pool, lock contention and timer counts: plain runtime properties, no allocation.</summary>
internal static class ThreadPoolSampler
{
    public static void Read(Span<double> values)
    {
        values[(int)MetricId.ThreadPoolThreadCount] = ThreadPool.ThreadCount;
        values[(int)MetricId.ThreadPoolQueueLength] = ThreadPool.PendingWorkItemCount;
        values[(int)MetricId.ThreadPoolWorkItems] = ThreadPool.CompletedWorkItemCount;
        values[(int)MetricId.MonitorLockContentions] = Monitor.LockContentionCount;
        values[(int)MetricId.TimerCount] = Timer.ActiveCount;
    }
}
