namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// Writes an exposition into a span: copies pre-encoded bytes and formats numbers, and remembers when the
/// span ran out, so the caller can grow its buffer and render again.
/// </summary>
internal ref struct ExpositionWriter
{
    private readonly Span<byte> _destination;

    public ExpositionWriter(Span<byte> destination) => _destination = destination;

    public int Position { get; private set; }

    public bool Overflowed { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.TryCopyTo(_destination[Position..]))
        {
            Position += bytes.Length;
        }
        else
        {
            Overflowed = true;
        }
    }

    /// <summary>Writes one sample line: its pre-encoded <c>name{labels} </c> prefix, the value and a line feed.</summary>
    public void WriteSample(ReadOnlySpan<byte> prefix, double value)
    {
        Write(prefix);
        if (PrometheusText.TryWriteNumber(value, _destination[Position..], out int written))
        {
            Position += written;
        }
        else
        {
            Overflowed = true;
        }

        Write("\n"u8);
    }

    public void WriteSample(ReadOnlySpan<byte> prefix, long value)
    {
        Write(prefix);
        if (value.TryFormat(_destination[Position..], out int written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            Position += written;
        }
        else
        {
            Overflowed = true;
        }

        Write("\n"u8);
    }
}
