namespace RuntimeProfiling.Model;

/// <summary>
/// The latest collections of one class (ephemeral, or generation 2), in a fixed ring: adding never allocates,
/// and the oldest entry makes room for the newest. <see cref="Total"/> counts every collection ever added,
/// so a reader that remembers it can tell which entries are new to it and how many fell out of the ring.
/// </summary>
internal sealed class GcCollectionHistory
{
    private readonly GcCollectionInfo[] _items;
    private int _start;

    public GcCollectionHistory(int capacity) => _items = new GcCollectionInfo[capacity];

    public int Count { get; private set; }

    public long Total { get; private set; }

    /// <summary>Gets an entry, 0 being the oldest held.</summary>
    public ref readonly GcCollectionInfo this[int index] => ref _items[(_start + index) % _items.Length];

    public void Add(in GcCollectionInfo collection)
    {
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
        other._items.AsSpan().CopyTo(_items);
        _start = other._start;
        Count = other.Count;
        Total = other.Total;
    }
}
