namespace RuntimeProfiling.Benchmarks.GcCapture;

/// <summary>A way of capturing every GC pause, as the harness drives and measures it.</summary>
internal interface IPauseCaptureMechanism : IDisposable
{
    /// <summary>Gets the collections recorded, how many of them were recovered without their detail, the ones known lost, and the sum of the recorded pauses.</summary>
    public (long Recorded, long Recovered, long Missed, TimeSpan PauseSum) Totals { get; }

    /// <summary>Gets how many observations the mechanism made on time rather than per collection, to stay under its rate.</summary>
    public long Polls => 0;

    /// <summary>Gets when the mechanism delivered the collection with this index, if it did.</summary>
    public bool TryGetDeliveredAt(long index, out DateTimeOffset deliveredAt);

    /// <summary>What the profiler's tick would do once per interval (the sentinel's catch-up read).</summary>
    public void Tick();

    /// <summary>Gets the delivering thread's allocated bytes and processor time, sampled on that thread at its last callback.</summary>
    public (long AllocatedBytes, TimeSpan CpuTime) DeliveringThread { get; }

    /// <summary>Asks the delivering thread to sample its allocation and processor time at its next callback.</summary>
    public void RequestThreadSample();
}
