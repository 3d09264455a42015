using System.Globalization;

namespace RuntimeProfiling.Agent;

/// <summary>Parses durations written as <c>0</c>, <c>500ms</c>, <c>1s</c>, <c>1.5s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c> or <c>hh:mm:ss</c>.</summary>
internal static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = default;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a duration is required (for example 500ms, 1s, 2m or 00:00:05)";
            return false;
        }

        text = text.Trim();
        if (text == "0")
        {
            duration = TimeSpan.Zero;
            return true;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (TimeSpan.TryParseExact(text, ["c", @"hh\:mm\:ss", @"h\:mm\:ss", @"mm\:ss"], CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero)
            {
                return true;
            }

            error = $"'{text}' is not a duration (use 500ms, 1s, 2m, 1h or hh:mm:ss)";
            return false;
        }

        int split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] is '.' or '-' or '+'))
        {
            split++;
        }

        ReadOnlySpan<char> number = text.AsSpan(0, split);
        ReadOnlySpan<char> unit = text.AsSpan(split).Trim();
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out double value) || double.IsNaN(value))
        {
            error = $"'{text}' is not a duration (use 500ms, 1s, 2m, 1h or hh:mm:ss)";
            return false;
        }

        double? milliseconds = unit switch
        {
            "ms" => value,
            "s" => value * 1_000,
            "m" or "min" => value * 60_000,
            "h" => value * 3_600_000,
            "d" => value * 86_400_000,
            _ => null,
        };
        if (milliseconds is null)
        {
            error = $"'{text}' has no known unit (use ms, s, m, h or d, for example 1s)";
            return false;
        }

        if (milliseconds < 0)
        {
            error = $"'{text}' is negative; a duration must be zero or more";
            return false;
        }

        if (milliseconds > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            error = $"'{text}' is too long";
            return false;
        }

        duration = TimeSpan.FromMilliseconds(milliseconds.Value);
        return true;
    }
}
