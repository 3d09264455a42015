using System.Diagnostics.Tracing;

namespace RuntimeProfiling.Benchmarks.GcCapture;

/// <summary>
/// The other known mechanism: an in-process <see cref="EventListener"/> on the runtime's GC events (GC keyword,
/// Informational). Each stop-the-world suspension (SuspendEEBegin to RestartEEEnd) is one pause; the GCStart
/// inside it says which collection it belongs to; a suspension with no GCStart while a background collection
/// runs is that collection's final pause. Measured against the sentinel; not shipped.
/// </summary>
internal sealed class EventListenerMechanism : EventListener, IPauseCaptureMechanism
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly Lock _lock = new();
    private readonly long[] _deliveredIndex = new long[1024];
    private readonly DateTimeOffset[] _deliveredAt = new DateTimeOffset[1024];
    private long _recorded;
    private long _pauseTicks;
    private long _suspendStart;
    private long _startIndex;
    private int _startType = -1;
    private long _backgroundIndex;
    private long _backgroundPause;
    private long _firstIndex;
    private long _lastIndex;
    private volatile bool _sampleRequested;
    private volatile Tuple<long, TimeSpan>? _threadSample;

    public (long Recorded, long Recovered, long Missed, TimeSpan PauseSum) Totals
    {
        get
        {
            lock (_lock)
            {
                // Every GCStart carries the collection's index; a gap between indexes is a collection whose events were lost.
                long seen = _firstIndex == 0 ? 0 : _lastIndex - _firstIndex + 1;
                return (_recorded, 0, Math.Max(0, seen - _recorded - (_backgroundIndex != 0 ? 1 : 0)), TimeSpan.FromTicks(_pauseTicks));
            }
        }
    }

    public (long AllocatedBytes, TimeSpan CpuTime) DeliveringThread => _threadSample is { } s ? (s.Item1, s.Item2) : default;

    public bool TryGetDeliveredAt(long index, out DateTimeOffset deliveredAt)
    {
        lock (_lock)
        {
            int slot = (int)(index % _deliveredIndex.Length);
            deliveredAt = _deliveredAt[slot];
            return _deliveredIndex[slot] == index;
        }
    }

    public void Tick()
    {
    }

    public void RequestThreadSample() => _sampleRequested = true;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (_sampleRequested)
        {
            _sampleRequested = false;
            _threadSample = Tuple.Create(GC.GetAllocatedBytesForCurrentThread(), ThreadStat.CurrentThreadCpu());
        }

        long timestamp = eventData.TimeStamp.Ticks;
        lock (_lock)
        {
            switch (eventData.EventId)
            {
                case 9: // GCSuspendEEBegin
                    _suspendStart = timestamp;
                    _startIndex = 0;
                    _startType = -1;
                    break;
                case 1: // GCStart: Count (the index), Depth, Reason, Type (0 blocking, 1 background, 2 foreground)
                    _startIndex = Convert.ToInt64(eventData.Payload![0], System.Globalization.CultureInfo.InvariantCulture);
                    _startType = Convert.ToInt32(eventData.Payload![3], System.Globalization.CultureInfo.InvariantCulture);
                    _firstIndex = _firstIndex == 0 ? _startIndex : _firstIndex;
                    _lastIndex = Math.Max(_lastIndex, _startIndex);
                    if (_startType == 1)
                    {
                        _backgroundIndex = _startIndex;
                        _backgroundPause = 0;
                    }

                    break;
                case 3: // GCRestartEEEnd
                    long pause = _suspendStart == 0 ? 0 : timestamp - _suspendStart;
                    _suspendStart = 0;
                    if (_startType == 1 || (_startType == -1 && _backgroundIndex != 0))
                    {
                        _backgroundPause += pause;
                    }
                    else if (_startIndex != 0)
                    {
                        Record(_startIndex, pause);
                    }

                    break;
                case 2: // GCEnd: Count, Depth
                    long index = Convert.ToInt64(eventData.Payload![0], System.Globalization.CultureInfo.InvariantCulture);
                    if (index == _backgroundIndex)
                    {
                        Record(index, _backgroundPause);
                        _backgroundIndex = 0;
                    }

                    break;
            }
        }
    }

    private void Record(long index, long pauseTicks)
    {
        _recorded++;
        _pauseTicks += pauseTicks;
        int slot = (int)(index % _deliveredIndex.Length);
        _deliveredIndex[slot] = index;
        _deliveredAt[slot] = DateTimeOffset.UtcNow;
    }
}
