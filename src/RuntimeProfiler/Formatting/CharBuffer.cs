using System.Globalization;

namespace RuntimeProfiling.Formatting;

/// <summary>A reusable, growable character buffer for text sinks: appending never allocates once it has grown to fit a sample.</summary>
internal sealed class CharBuffer
{
    private char[] _chars;
    private int _length;

    public CharBuffer(int capacity) => _chars = new char[capacity];

    public int Length => _length;

    public ReadOnlySpan<char> WrittenSpan => _chars.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void Append(char value)
    {
        Ensure(1);
        _chars[_length++] = value;
    }

    public void Append(ReadOnlySpan<char> value)
    {
        Ensure(value.Length);
        value.CopyTo(_chars.AsSpan(_length));
        _length += value.Length;
    }

    public void Append(char value, int repeat)
    {
        if (repeat <= 0)
        {
            return;
        }

        Ensure(repeat);
        _chars.AsSpan(_length, repeat).Fill(value);
        _length += repeat;
    }

    public void AppendNumber(double value)
    {
        Ensure(NumberFormatting.MaxLength);
        NumberFormatting.TryFormat(value, _chars.AsSpan(_length), out int written);
        _length += written;
    }

    public void AppendFormatted(double value, ReadOnlySpan<char> format)
    {
        Ensure(64);
        value.TryFormat(_chars.AsSpan(_length), out int written, format, CultureInfo.InvariantCulture);
        _length += written;
    }

    public void AppendFormatted(long value, ReadOnlySpan<char> format)
    {
        Ensure(32);
        value.TryFormat(_chars.AsSpan(_length), out int written, format, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Pads what was written since <paramref name="start"/> with spaces on the left up to <paramref name="width"/> characters.</summary>
    public void PadLeftFrom(int start, int width)
    {
        int written = _length - start;
        int pad = width - written;
        if (pad <= 0)
        {
            return;
        }

        Ensure(pad);
        Span<char> span = _chars.AsSpan(start, written + pad);
        span[..written].CopyTo(span[pad..]);
        span[..pad].Fill(' ');
        _length += pad;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _chars.Length)
        {
            return;
        }

        Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + extra));
    }
}
