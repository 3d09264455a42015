using System.Buffers;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// A connection's reusable response buffer. The body is written after a reserved gap, and the head, whose
/// Content-Length is known only then, goes into the gap, so head and body leave in one send without a copy.
/// </summary>
internal sealed class ResponseBuffer : IBufferWriter<byte>
{
    /// <summary>Room for the response head: its longest form (a page file's, with its security headers) is well under this.</summary>
    public const int HeadRoom = 1024;

    private byte[] _buffer = new byte[HeadRoom + (16 * 1024)];
    private int _bodyEnd = HeadRoom;
    private int _headStart = HeadRoom;

    public int BodyLength => _bodyEnd - HeadRoom;

    /// <summary>Gets the head and body, ready to send.</summary>
    public ReadOnlyMemory<byte> Message => _buffer.AsMemory(_headStart, _bodyEnd - _headStart);

    public void Reset()
    {
        _bodyEnd = HeadRoom;
        _headStart = HeadRoom;
    }

    /// <summary>Places the head right before the body; its length must not exceed <see cref="HeadRoom"/>.</summary>
    public void SetHead(ReadOnlySpan<byte> head)
    {
        _headStart = HeadRoom - head.Length;
        head.CopyTo(_buffer.AsSpan(_headStart));
    }

    /// <summary>Drops the body (a HEAD request keeps only its length).</summary>
    public void DropBody() => _bodyEnd = HeadRoom;

    public void Advance(int count) => _bodyEnd += count;

    // Ensure may replace the array: take the field only after it ran (in "_buffer.AsSpan(Ensure())" the old
    // array is loaded first, and after a resize the span returned would be empty).
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int start = Ensure(sizeHint);
        return _buffer.AsMemory(start);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        int start = Ensure(sizeHint);
        return _buffer.AsSpan(start);
    }

    private int Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _bodyEnd < needed)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _bodyEnd + needed));
        }

        return _bodyEnd;
    }
}
