namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>
/// The page's recent past: the latest encoded frames in a ring of fixed slots allocated once, numbered from 1.
/// One writer (the page's lane) publishes; viewers copy frames out under a short lock into buffers of their own,
/// so a slow viewer never holds up the writer, and one that falls a whole ring behind skips what was overwritten
/// (counted in <see cref="Dropped"/>).
/// </summary>
internal sealed class LiveHistory
{
    private readonly Lock _lock = new();
    private readonly byte[] _slots;
    private readonly int[] _lengths;
    private readonly int _slotBytes;
    private readonly ViewerSignal?[] _viewers;
    private readonly ViewerSignal?[] _waking;
    private readonly ViewerSignal?[] _wakingAll;
    private readonly Lock _wakeAllLock = new();
    private long _latest;
    private long _dropped;

    public LiveHistory(int capacity, int slotBytes, int maxViewers)
    {
        Capacity = capacity;
        _slotBytes = slotBytes;
        _slots = new byte[capacity * slotBytes];
        _lengths = new int[capacity];
        _viewers = new ViewerSignal?[maxViewers];
        _waking = new ViewerSignal?[maxViewers];
        _wakingAll = new ViewerSignal?[maxViewers];
    }

    public int Capacity { get; }

    /// <summary>Gets the number of the latest frame, 0 before the first.</summary>
    public long Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>Gets the number of frames viewers skipped because they fell more than the ring behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets the number of viewers streaming now.</summary>
    public int Viewers
    {
        get
        {
            lock (_lock)
            {
                return _viewers.Count(v => v is not null);
            }
        }
    }

    /// <summary>Gets the oldest frame a viewer starting now would receive.</summary>
    public long Oldest
    {
        get
        {
            lock (_lock)
            {
                return OldestHeld();
            }
        }
    }

    /// <summary>Stores the next frame (number <see cref="Latest"/> + 1) and wakes every viewer. Called by one writer at a time.</summary>
    public void Publish(ReadOnlySpan<byte> frame)
    {
        int waking = 0;
        lock (_lock)
        {
            long number = _latest + 1;
            int slot = (int)((number - 1) % Capacity);
            frame.CopyTo(_slots.AsSpan(slot * _slotBytes, _slotBytes));
            _lengths[slot] = frame.Length;
            _latest = number;
            foreach (ViewerSignal? viewer in _viewers)
            {
                if (viewer is not null)
                {
                    _waking[waking++] = viewer;
                }
            }
        }

        Wake(_waking, waking);
    }

    /// <summary>Wakes every viewer without a new frame: they send a heartbeat, or notice that the page stops.</summary>
    public void WakeAll()
    {
        // Its own scratch array and lock: a heartbeat may come while the writer publishes.
        lock (_wakeAllLock)
        {
            int waking = 0;
            lock (_lock)
            {
                foreach (ViewerSignal? viewer in _viewers)
                {
                    if (viewer is not null)
                    {
                        _wakingAll[waking++] = viewer;
                    }
                }
            }

            Wake(_wakingAll, waking);
        }
    }

    /// <summary>Adds a viewer to wake on every frame.</summary>
    /// <returns><see langword="false"/> when the page streams to as many viewers as it may.</returns>
    public bool TryAddViewer(ViewerSignal viewer)
    {
        lock (_lock)
        {
            int free = Array.IndexOf(_viewers, null);
            if (free < 0)
            {
                return false;
            }

            _viewers[free] = viewer;
            return true;
        }
    }

    public void RemoveViewer(ViewerSignal viewer)
    {
        lock (_lock)
        {
            int index = Array.IndexOf(_viewers, viewer);
            if (index >= 0)
            {
                _viewers[index] = null;
            }
        }
    }

    /// <summary>
    /// Copies the frames from number <paramref name="next"/> on, as many whole frames as fit, and advances it past them.
    /// A number older than the ring holds starts at the oldest held, and the frames skipped are counted as dropped.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    public int Copy(ref long next, Span<byte> destination)
    {
        lock (_lock)
        {
            long oldest = OldestHeld();
            if (next < oldest)
            {
                if (next > 0)
                {
                    Interlocked.Add(ref _dropped, oldest - next);
                }

                next = oldest;
            }

            int written = 0;
            while (next <= _latest)
            {
                int slot = (int)((next - 1) % Capacity);
                int length = _lengths[slot];
                if (written + length > destination.Length)
                {
                    break;
                }

                _slots.AsSpan(slot * _slotBytes, length).CopyTo(destination[written..]);
                written += length;
                next++;
            }

            return written;
        }
    }

    private long OldestHeld() => Math.Max(1, _latest - Capacity + 1);

    private static void Wake(ViewerSignal?[] viewers, int count)
    {
        for (int i = 0; i < count; i++)
        {
            ViewerSignal viewer = viewers[i]!;
            viewers[i] = null;
            viewer.Set();
        }
    }
}
