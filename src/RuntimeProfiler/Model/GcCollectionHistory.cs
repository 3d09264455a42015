namespace RuntimeProfiling.Model;

/// <summary>
/// The latest collections of one class (ephemeral, or generation 2), in a fixed ring: adding never allocates,
/// and the oldest entry makes room for the newest. <see cref="Total"/> counts every collection ever added,
/// so a reader that remembers it can tell which entries are new to it and how many fell out of the ring.
/// </summary>
/// <remarks>
/// Copies are incremental: histories that share a lineage (one history's adds, and copies of it) hold the
/// same entries in the same slots up to their <see cref="Total"/>, so a copy writes only the slots added
/// since. A sampler copying on every read thus copies nothing when no collection ran.
/// </remarks>
internal sealed class GcCollectionHistory
{
    private static long s_lineages;

    private readonly GcCollectionInfo[] _items;
    private int _start;

    // The history whose adds these entries are: this one's own while it owns it, the source's after a copy.
    private long _lineage = Interlocked.Increment(ref s_lineages);
    private bool _ownsLineage = true;

    public GcCollectionHistory(int capacity) => _items = new GcCollectionInfo[capacity];

    public int Count { get; private set; }

    public long Total { get; private set; }

    /// <summary>Gets an entry, 0 being the oldest held.</summary>
    public ref readonly GcCollectionInfo this[int index] => ref _items[(_start + index) % _items.Length];

    public void Add(in GcCollectionInfo collection)
    {
        if (!_ownsLineage)
        {
            // A copy that adds goes its own way: its entries are no longer any other history's.
            _lineage = Interlocked.Increment(ref s_lineages);
            _ownsLineage = true;
        }

        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = collection;
            Count++;
        }
        else
        {
            _items[_start] = collection;
            _start = (_start + 1) % _items.Length;
        }

        Total++;
    }

    public void CopyFrom(GcCollectionHistory other)
    {
        long added = other.Total - Total;
        if (other._lineage == _lineage && added >= 0 && added < _items.Length && other._items.Length == _items.Length)
        {
            // Each add writes the slot of the newest entry, so the slots of the newest `added` entries are all that differ.
            for (int i = other.Count - (int)added; i < other.Count; i++)
            {
                int slot = (other._start + i) % _items.Length;
                _items[slot] = other._items[slot];
            }
        }
        else
        {
            other._items.AsSpan().CopyTo(_items);
        }

        _lineage = other._lineage;
        _ownsLineage = false;
        _start = other._start;
        Count = other.Count;
        Total = other.Total;
    }
}
