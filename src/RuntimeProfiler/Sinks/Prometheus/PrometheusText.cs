using System.Globalization;
using System.Text;
using RuntimeProfiling.Formatting;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>The escaping and number rules of the two text formats.</summary>
internal static class PrometheusText
{
    /// <summary>The longest text a sample value takes.</summary>
    public const int MaxNumberLength = NumberFormatting.MaxLength;

    /// <summary>
    /// Escapes help text. The 0.0.4 format knows only <c>\\</c> and <c>\n</c> there (its parser rejects <c>\"</c>);
    /// OpenMetrics escapes double quotes as well.
    /// </summary>
    public static string EscapeHelp(string text, PrometheusFormat format) => Escape(text, escapeQuotes: format == PrometheusFormat.OpenMetrics);

    /// <summary>Escapes a label value: backslash, double quote and line feed, the same in both formats.</summary>
    public static string EscapeLabelValue(string value) => Escape(value, escapeQuotes: true);

    /// <summary>
    /// Formats a bucket bound the way OpenMetrics calls canonical (Go's shortest <c>%g</c>, with <c>.0</c> added
    /// when it has neither point nor exponent: <c>1e-05</c>, <c>0.0025</c>, <c>1.0</c>, <c>10.0</c>). Both formats use
    /// it, so a series keeps one <c>le</c> value whichever format a scrape negotiated.
    /// </summary>
    public static string FormatBound(double bound)
    {
        if (double.IsPositiveInfinity(bound))
        {
            return "+Inf";
        }

        if (bound == 0)
        {
            return "0.0";
        }

        // The shortest round-trip digits, then Go's rule for shortest %g: exponent form below 1e-4 and from 1e+06 on.
        (string digits, int exponent) = ShortestDigits(Math.Abs(bound));
        string sign = bound < 0 ? "-" : string.Empty;
        if (exponent < -4 || exponent >= 6)
        {
            string mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        string plain = Math.Abs(bound).ToString("F" + Math.Max(0, digits.Length - exponent - 1), CultureInfo.InvariantCulture);
        return sign + (plain.Contains('.', StringComparison.Ordinal) ? plain : plain + ".0");
    }

    /// <summary>Writes a sample value: whole numbers as integers, others as the shortest round-trip form, infinities as <c>+Inf</c>/<c>-Inf</c>.</summary>
    public static bool TryWriteNumber(double value, Span<byte> destination, out int written)
    {
        if (double.IsInfinity(value))
        {
            ReadOnlySpan<byte> text = value > 0 ? "+Inf"u8 : "-Inf"u8;
            written = text.Length;
            return text.TryCopyTo(destination);
        }

        if (double.IsNaN(value))
        {
            written = 3;
            return "NaN"u8.TryCopyTo(destination);
        }

        return NumberFormatting.TryFormat(value, destination, out written);
    }

    /// <summary>Splits a positive value's shortest round-trip form into its significant digits and decimal exponent (2.5e-05: "25", -5).</summary>
    private static (string Digits, int Exponent) ShortestDigits(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E', StringComparison.Ordinal);
        int exponent = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string mantissa = e < 0 ? text : text[..e];
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string integer = dot < 0 ? mantissa : mantissa[..dot];
        string all = integer + (dot < 0 ? string.Empty : mantissa[(dot + 1)..]);
        int first = 0;
        while (first < all.Length - 1 && all[first] == '0')
        {
            first++;
        }

        return (all[first..].TrimEnd('0') is { Length: > 0 } digits ? digits : "0", integer.Length - 1 - first + exponent);
    }

    private static string Escape(string text, bool escapeQuotes)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '"' when escapeQuotes:
                    builder.Append("\\\"");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}
