using System.Text;
using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Renders figures as StatsD lines in one dialect. Names and tags are sanitized and encoded once, here; the
/// write methods are pure functions of their arguments that fill a span and return how many bytes they wrote,
/// or -1 when the line does not fit (the caller drops it and counts it, never sends it broken).
/// </summary>
internal sealed class StatsDFormatter
{
    /// <summary>
    /// Fraction digits of pause values, in ms or s: 1 ns, so that the rounding of a representative sent with a large
    /// weight moves the window's sum by at most half a nanosecond per pause.
    /// </summary>
    public const int MillisecondDecimals = 6;

    public const int SecondDecimals = 9;

    public StatsDFormatter(StatsDDialect dialect, MetricNaming naming, string? prefix, IEnumerable<KeyValuePair<string, string>> globalTags)
    {
        Dialect = dialect;
        string start = StatsDSanitizer.Prefix(prefix, dialect);
        KeyValuePair<string, string>[] global = [.. globalTags.OrderBy(t => t.Key, StringComparer.Ordinal)];
        Lines = [.. FigureSets.Get(naming).Select(f => Encode(f, start, global))];
    }

    public StatsDDialect Dialect { get; }

    /// <summary>Gets every figure of the naming, pre-encoded, in catalog order.</summary>
    public StatsDLine[] Lines { get; }

    /// <summary>Gets whether pauses go out in milliseconds (timers) rather than seconds (DogStatsD distributions).</summary>
    public bool PausesInMilliseconds => Dialect != StatsDDialect.DogStatsD;

    /// <summary>Writes <c>name:value|type|#tags</c>.</summary>
    public static int Write(StatsDLine line, double value, Span<byte> destination)
    {
        byte[] head = line.Head;
        byte[] tail = line.Tail;
        int fixedLength = head.Length + tail.Length;
        if (destination.Length <= fixedLength
            || !StatsDNumber.TryFormat(value, destination.Slice(head.Length, destination.Length - fixedLength), out int digits))
        {
            return -1;
        }

        head.CopyTo(destination);
        tail.CopyTo(destination[(head.Length + digits)..]);
        return fixedLength + digits;
    }

    /// <summary>
    /// Writes a gauge. A negative value means "decrement" to Etsy-style servers when it starts with '-', so it goes
    /// out as two lines kept in one datagram: the gauge set to 0, then the negative change, which every dialect's
    /// servers end up reading as the value itself.
    /// </summary>
    /// <returns>The bytes written, or -1; <paramref name="lines"/> is 2 for a negative value, else 1.</returns>
    public static int WriteGauge(StatsDLine line, double value, Span<byte> destination, out int lines)
    {
        if (value >= 0)
        {
            lines = 1;
            return Write(line, value, destination);
        }

        lines = 2;
        int first = Write(line, 0, destination);
        if (first < 0 || first >= destination.Length)
        {
            return -1;
        }

        destination[first] = (byte)'\n';
        int second = Write(line, value, destination[(first + 1)..]);
        return second < 0 ? -1 : first + 1 + second;
    }

    /// <summary>Writes <c>name:value|type|@rate|#tags</c> with the rate 2^-<paramref name="rateExponent"/> (no rate when 0).</summary>
    public static int WriteSampled(StatsDLine line, double value, int decimals, int rateExponent, Span<byte> destination)
    {
        int at = 0;
        if (!Append(line.Head, destination, ref at) || !AppendNumber(value, decimals, destination, ref at) || !Append(line.Type, destination, ref at))
        {
            return -1;
        }

        if (rateExponent > 0 && (!Append("|@"u8, destination, ref at) || !AppendNumber(Math.ScaleB(1.0, -rateExponent), destination, ref at)))
        {
            return -1;
        }

        return Append(line.Tags, destination, ref at) ? at : -1;
    }

    /// <summary>Writes one more value of an Etsy multi-value line: <c>:value|ms</c> (or, first, <c>name:value|ms</c>).</summary>
    public static int WriteValue(StatsDLine line, bool first, double value, int decimals, Span<byte> destination)
    {
        int at = 0;
        bool fits = first ? Append(line.Head, destination, ref at) : Append(":"u8, destination, ref at);
        return fits && AppendNumber(value, decimals, destination, ref at) && Append(line.Type, destination, ref at) ? at : -1;
    }

    private static bool Append(ReadOnlySpan<byte> bytes, Span<byte> destination, ref int at)
    {
        if (!bytes.TryCopyTo(destination[at..]))
        {
            return false;
        }

        at += bytes.Length;
        return true;
    }

    private static bool AppendNumber(double value, Span<byte> destination, ref int at)
    {
        bool fits = StatsDNumber.TryFormat(value, destination[at..], out int written);
        at += written;
        return fits;
    }

    private static bool AppendNumber(double value, int decimals, Span<byte> destination, ref int at)
    {
        bool fits = StatsDNumber.TryFormat(value, decimals, destination[at..], out int written);
        at += written;
        return fits;
    }

    private StatsDLine Encode(Figure figure, string prefix, KeyValuePair<string, string>[] global)
    {
        var head = new StringBuilder();
        if (prefix.Length > 0)
        {
            head.Append(prefix).Append('.');
        }

        head.Append(StatsDSanitizer.Name(figure.Name, Dialect));
        var tags = new StringBuilder();
        IEnumerable<KeyValuePair<string, string>> all = figure.Attributes.Concat(global);
        switch (Dialect)
        {
            case StatsDDialect.Etsy:
                foreach (KeyValuePair<string, string> attribute in figure.Attributes)
                {
                    head.Append('.').Append(StatsDSanitizer.Name(attribute.Value, Dialect));
                }

                break;
            case StatsDDialect.Telegraf:
                foreach (KeyValuePair<string, string> tag in all)
                {
                    head.Append(',').Append(StatsDSanitizer.TagKey(tag.Key)).Append('=').Append(StatsDSanitizer.TagValue(tag.Value, Dialect));
                }

                break;
            case StatsDDialect.DogStatsD:
                foreach (KeyValuePair<string, string> tag in all)
                {
                    tags.Append(tags.Length == 0 ? "|#" : ",").Append(StatsDSanitizer.TagKey(tag.Key)).Append(':').Append(StatsDSanitizer.TagValue(tag.Value, Dialect));
                }

                break;
        }

        head.Append(':');
        string type = figure.Kind switch
        {
            MetricKind.Counter => "|c",
            MetricKind.Histogram => Dialect == StatsDDialect.DogStatsD ? "|d" : "|ms",
            _ => "|g",
        };
        return new StatsDLine(figure, Encoding.ASCII.GetBytes(head.ToString()), Encoding.ASCII.GetBytes(type), Encoding.ASCII.GetBytes(tags.ToString()));
    }
}
