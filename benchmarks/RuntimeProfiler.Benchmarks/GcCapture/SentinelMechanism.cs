using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Benchmarks.GcCapture;

/// <summary>The shipped mechanism: <see cref="GcPauseCapture"/>, a finalizer-based sentinel re-armed after every GC, paced above a rate.</summary>
internal sealed class SentinelMechanism : IPauseCaptureMechanism
{
    private readonly GcPauseCapture _capture;
    private volatile Tuple<long, TimeSpan>? _threadSample;

    /// <param name="pacing">The shipped pacing, or another to compare it with.</param>
    public SentinelMechanism(GcPauseCapture.PacingOptions pacing)
    {
        _capture = new GcPauseCapture(TimeProvider.System, armSentinel: true, pacing);
        _capture.Start();
    }

    public long Polls => _capture.PacerPolls;

    public (long Recorded, long Recovered, long Missed, TimeSpan PauseSum) Totals
    {
        get
        {
            var snapshot = new Model.RuntimeSnapshot();
            _capture.WriteTo(snapshot);
            double sum = 0;
            foreach (double s in snapshot.HistogramSumTotals)
            {
                sum += s;
            }

            return (_capture.Recorded, _capture.Recovered, _capture.Missed, TimeSpan.FromSeconds(sum));
        }
    }

    public (long AllocatedBytes, TimeSpan CpuTime) DeliveringThread => _threadSample is { } s ? (s.Item1, s.Item2) : default;

    public bool TryGetDeliveredAt(long index, out DateTimeOffset deliveredAt) => _capture.TryGetObservedAt(index, out deliveredAt);

    public void Tick() => _capture.Poll();

    // The finalizer thread delivers: a probe object's finalizer runs there, after the capture's own sentinel
    // or before it, and reads that thread's figures.
    public void RequestThreadSample() => _ = new Probe(this);

    public void Dispose() => _capture.Stop();

    private sealed class Probe(SentinelMechanism owner)
    {
        ~Probe() => owner._threadSample = Tuple.Create(GC.GetAllocatedBytesForCurrentThread(), ThreadStat.CurrentThreadCpu());
    }
}
