namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Packs lines into as few datagrams as fit the size limit, joined by newlines, and hands each full datagram to
/// the transport. Lines are written straight into the datagram buffer (<see cref="Free"/>, then <see cref="Commit"/>).
/// A unit (one line, or lines that must travel together) is never split; one longer than the limit is dropped
/// and counted.
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

    public bool IsEmpty => _length == 0;

    /// <summary>Gets the space for the next unit in the current datagram, after the newline that will separate it.</summary>
    public Span<byte> Free => _length == 0 ? _buffer : _length + 1 < _buffer.Length ? _buffer.AsSpan(_length + 1) : [];

    /// <summary>Adds the unit of <paramref name="lines"/> lines just written at the start of <see cref="Free"/>.</summary>
    public void Commit(int written, int lines)
    {
        if (_length > 0)
        {
            _buffer[_length++] = (byte)'\n';
        }

        _length += written;
        _lines += lines;
    }

    /// <summary>Adds a unit written elsewhere, sending the current datagram first when it does not fit.</summary>
    public void Add(ReadOnlySpan<byte> unit, int lines)
    {
        if (unit.Length > Capacity)
        {
            _health.DropTooLong(lines);
            return;
        }

        if (unit.Length > Free.Length)
        {
            Flush();
        }

        unit.CopyTo(Free);
        Commit(unit.Length, lines);
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
