using System.Buffers.Text;
using System.Globalization;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Writes values as every StatsD server parses them: invariant culture, whole numbers as integers, others in
/// their shortest round-trip digits, and never in exponent form (Etsy's daemon reads a sample rate such as
/// <c>@9.5E-07</c> as 9.5, and not every server parses exponents in values).
/// </summary>
internal static class StatsDNumber
{
    /// <summary>The longest text of a finite double in plain notation: a sign, 309 integer digits or 324 fraction digits, and the point.</summary>
    public const int MaxLength = 330;

    private const double LongLimit = 9.2e18;
    private const long SignificandMask = 0xF_FFFF_FFFF_FFFF;

    // 2^53: below it every integer is exact in a double.
    private const double MaxExactInteger = 9007199254740992;

    private const double Billion = 1e9;

    /// <summary>Writes a finite value in plain decimal notation.</summary>
    /// <returns><see langword="false"/> when it does not fit <paramref name="destination"/> (nothing useful is written then).</returns>
    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        if (Math.Abs(value) < LongLimit && value == Math.Floor(value))
        {
            return Utf8Formatter.TryFormat((long)value, destination, out written);
        }

        if (TryFormatDecimal(value, destination, out written))
        {
            return true;
        }

        // The shortest round-trip digits .NET 10 gives for a power of two can read back as its lower neighbour
        // (2^-25 prints as 2.980232238769531E-08), which would make a sample rate's inverse inexact: 17 digits are safe.
        Span<byte> text = stackalloc byte[32];
        ReadOnlySpan<char> format = (BitConverter.DoubleToInt64Bits(value) & SignificandMask) == 0 ? "G17" : "R";
        if (!value.TryFormat(text, out int length, format, CultureInfo.InvariantCulture))
        {
            written = 0;
            return false;
        }

        text = text[..length];
        int exponentAt = text.IndexOf((byte)'E');
        if (exponentAt < 0)
        {
            written = length;
            return text.TryCopyTo(destination);
        }

        return TryExpand(text, exponentAt, destination, out written);
    }

    /// <summary>Writes a finite value rounded to at most <paramref name="decimals"/> fraction digits (0 to 15), in plain notation.</summary>
    public static bool TryFormat(double value, int decimals, Span<byte> destination, out int written) =>
        TryFormat(Math.Round(value, decimals, MidpointRounding.AwayFromZero), destination, out written);

    /// <summary>
    /// The fast path, several times quicker than the round-trip format: a value that is exactly m / 10^9 for an
    /// integer m (times in ticks, rounded pauses, most ratios) is written as m with its trailing zeros dropped and a
    /// point. The division by an exact power of ten is correctly rounded, as parsing is, so the text reads back as
    /// the same double; and a value with a shorter exact decimal form has that form as m / 10^9 too.
    /// </summary>
    private static bool TryFormatDecimal(double value, Span<byte> destination, out int written)
    {
        written = 0;
        double magnitude = Math.Abs(value);
        double scaled = Math.Round(magnitude * Billion);
        if (scaled >= MaxExactInteger || scaled / Billion != magnitude)
        {
            return false;
        }

        long mantissa = (long)scaled;
        int decimals = 9;
        while (decimals > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            decimals--;
        }

        if (decimals == 0)
        {
            return Utf8Formatter.TryFormat(value < 0 ? -mantissa : mantissa, destination, out written);
        }

        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(mantissa, digits, out int count);
        int integerDigits = Math.Max(count - decimals, 0);
        int length = (value < 0 ? 1 : 0) + Math.Max(integerDigits, 1) + 1 + decimals;
        if (length > destination.Length)
        {
            return false;
        }

        int at = 0;
        if (value < 0)
        {
            destination[at++] = (byte)'-';
        }

        if (integerDigits == 0)
        {
            destination[at++] = (byte)'0';
        }
        else
        {
            digits[..integerDigits].CopyTo(destination[at..]);
            at += integerDigits;
        }

        destination[at++] = (byte)'.';
        int zeros = decimals - (count - integerDigits);
        destination.Slice(at, zeros).Fill((byte)'0');
        at += zeros;
        digits[integerDigits..count].CopyTo(destination[at..]);
        written = at + count - integerDigits;
        return true;
    }

    /// <summary>Rewrites "-d.dddE±xx" (the round-trip format's exponent form) as plain digits.</summary>
    private static bool TryExpand(ReadOnlySpan<byte> text, int exponentAt, Span<byte> destination, out int written)
    {
        written = 0;
        bool negative = text[0] == '-';
        ReadOnlySpan<byte> mantissa = text[(negative ? 1 : 0)..exponentAt];
        int exponent = int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

        Span<byte> digits = stackalloc byte[20];
        int count = 0;
        foreach (byte b in mantissa)
        {
            if (b != '.')
            {
                digits[count++] = b;
            }
        }

        // The mantissa has one digit before its point: the value is 0.digits * 10^(exponent + 1).
        int pointAt = exponent + 1;
        int needed = (negative ? 1 : 0) + (pointAt <= 0 ? 2 - pointAt + count : Math.Max(count, pointAt) + (count > pointAt ? 1 : 0));
        if (needed > destination.Length)
        {
            return false;
        }

        int at = 0;
        if (negative)
        {
            destination[at++] = (byte)'-';
        }

        if (pointAt <= 0)
        {
            destination[at++] = (byte)'0';
            destination[at++] = (byte)'.';
            destination.Slice(at, -pointAt).Fill((byte)'0');
            at += -pointAt;
            digits[..count].CopyTo(destination[at..]);
            at += count;
        }
        else
        {
            for (int i = 0; i < Math.Max(count, pointAt); i++)
            {
                if (i == pointAt)
                {
                    destination[at++] = (byte)'.';
                }

                destination[at++] = i < count ? digits[i] : (byte)'0';
            }
        }

        written = at;
        return true;
    }
}
