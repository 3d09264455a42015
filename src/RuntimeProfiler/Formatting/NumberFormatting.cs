using System.Globalization;

namespace RuntimeProfiling.Formatting;

/// <summary>Formats figure values the same way in every text sink: whole numbers as integers, others as the shortest round-trip form, always invariant.</summary>
internal static class NumberFormatting
{
    // Doubles in this range that have no fraction print as integers ("1764012345678901248", not "1.764E+18").
    private const double LongLimit = 9.2e18;

    /// <summary>The longest text a value takes: a round-trip double such as "-1.2345678901234567E-300".</summary>
    public const int MaxLength = 32;

    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        if (IsWhole(value))
        {
            return ((long)value).TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        }

        return value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
    }

    public static bool TryFormat(double value, Span<char> destination, out int written)
    {
        if (IsWhole(value))
        {
            return ((long)value).TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        }

        return value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
    }

    public static bool IsWhole(double value) => Math.Abs(value) < LongLimit && value == Math.Floor(value);
}
