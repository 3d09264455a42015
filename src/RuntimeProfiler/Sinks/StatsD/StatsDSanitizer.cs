namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// The sanitizing rules of each dialect, applied once when a sink pre-encodes its names and tags: a character a
/// dialect does not allow in a place becomes <c>_</c>, so a prefix or tag can never break a line apart.
/// The rules, with examples, are listed in <c>docs/statsd.md</c>; each has a test.
/// </summary>
internal static class StatsDSanitizer
{
    /// <summary>
    /// Names (prefix, metric name, and attribute values folded into an Etsy name): ASCII letters, digits, <c>_</c> and
    /// <c>.</c> everywhere, and <c>-</c> too except in DogStatsD, whose names allow only letters, digits, <c>_</c> and <c>.</c>.
    /// </summary>
    public static string Name(string value, StatsDDialect dialect) =>
        Replace(value, c => IsWordChar(c) || c == '.' || (c == '-' && dialect != StatsDDialect.DogStatsD));

    /// <summary>A prefix: trimmed of surrounding dots and whitespace, then sanitized as a name; empty means no prefix.</summary>
    public static string Prefix(string? value, StatsDDialect dialect)
    {
        string trimmed = (value ?? string.Empty).Trim().Trim('.');
        return trimmed.Length == 0 ? string.Empty : Name(trimmed, dialect);
    }

    /// <summary>
    /// Tag keys: letters, digits, <c>_</c>, <c>-</c>, <c>.</c> and <c>/</c>. A key never holds <c>:</c> (DogStatsD splits key
    /// from value there) nor <c>=</c> or <c>,</c> (Telegraf's separators).
    /// </summary>
    public static string TagKey(string value) => Replace(value, c => IsWordChar(c) || c is '-' or '.' or '/');

    /// <summary>
    /// Tag values: as keys, plus <c>:</c> in DogStatsD (its values may hold colons). Never <c>,</c> (the tag separator),
    /// <c>|</c>, <c>#</c>, <c>@</c>, <c>=</c>, whitespace or line breaks.
    /// </summary>
    public static string TagValue(string value, StatsDDialect dialect) =>
        Replace(value, c => IsWordChar(c) || c is '-' or '.' or '/' || (c == ':' && dialect == StatsDDialect.DogStatsD));

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string Replace(string value, Func<char, bool> allowed) =>
        string.Create(value.Length, (value, allowed), static (span, state) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                char c = state.value[i];
                span[i] = state.allowed(c) ? c : '_';
            }
        });
}
