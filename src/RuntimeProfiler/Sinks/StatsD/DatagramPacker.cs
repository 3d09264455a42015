namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Packs lines into as few datagrams as fit the size limit, joined by newlines, and hands each full datagram to
/// the transport. A unit (one line, or lines that must travel together) is never split; one longer than the
/// limit is dropped and counted.
/// </summary>
internal sealed class DatagramPacker
{
    private readonly byte[] _buffer;
    private readonly IStatsDTransport _transport;
    private readonly StatsDHealth _health;
    private int _length;
    private int _lines;

    public DatagramPacker(int capacity, IStatsDTransport transport, StatsDHealth health)
    {
        _buffer = new byte[capacity];
        _transport = transport;
        _health = health;
    }

    /// <summary>Gets the largest datagram, in bytes.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Gets the room left for one more unit in the current datagram (after its newline separator).</summary>
    public int Room => _length == 0 ? Capacity : Capacity - _length - 1;

    /// <summary>Adds a unit of <paramref name="lines"/> lines, sending the current datagram first when the unit does not fit in it.</summary>
    public void Add(ReadOnlySpan<byte> unit, int lines)
    {
        if (unit.Length > Capacity)
        {
            _health.DropTooLong(lines);
            return;
        }

        if (unit.Length > Room)
        {
            Flush();
        }

        if (_length > 0)
        {
            _buffer[_length++] = (byte)'\n';
        }

        unit.CopyTo(_buffer.AsSpan(_length));
        _length += unit.Length;
        _lines += lines;
    }

    /// <summary>Sends what is packed, if anything.</summary>
    public void Flush()
    {
        if (_length == 0)
        {
            return;
        }

        StatsDSendResult result = _transport.Send(_buffer.AsSpan(0, _length));
        _health.Record(result, _lines);
        _length = 0;
        _lines = 0;
    }
}
