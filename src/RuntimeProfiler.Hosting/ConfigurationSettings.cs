using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RuntimeProfiling.Hosting;

/// <summary>
/// What every sink's section reads and checks alike, with one wording for all of them. A reader leaves a value that
/// does not parse as it was and, when given <c>errors</c>, describes it there under its key
/// (<c>Path:Key is 'text'; expected ...</c>); a check describes a resolved value out of range
/// (<c>Path:Key is value; allowed: A to B</c>), whether configuration or code set it.
/// </summary>
internal static class ConfigurationSettings
{
    /// <summary>Gets the path of a sink's section, such as <c>RuntimeProfiler:Sinks:StatsD</c>.</summary>
    public static string SinkPath(string sink) => $"{RuntimeProfilerHostingOptions.SectionName}:Sinks:{sink}";

    /// <summary>Gets a sink's section, or <see langword="null"/> when the container has no configuration.</summary>
    public static IConfigurationSection? SinkSection(IServiceProvider services, string sink) =>
        services.GetService<IConfiguration>()?.GetSection(SinkPath(sink));

    /// <summary>
    /// Gets the value named at <paramref name="key"/> in any case, or <paramref name="current"/> when there is none or
    /// it names no member (the validator's check of the sink's choices reports that).
    /// </summary>
    public static T ReadEnum<T>(IConfigurationSection? section, string key, T current)
        where T : struct, Enum =>
        Enum.TryParse(section?[key], ignoreCase: true, out T value) && Enum.IsDefined(value) ? value : current;

    /// <summary>Gets the flag at <paramref name="key"/>, or <paramref name="current"/> when there is none or it is neither true nor false.</summary>
    public static bool ReadBool(IConfigurationSection section, string key, bool current, Dictionary<string, string>? errors)
    {
        string? text = section[key];
        if (text is null)
        {
            return current;
        }

        if (bool.TryParse(text, out bool value))
        {
            return value;
        }

        errors?.Add(key, $"{section.Path}:{key} is '{text}'; allowed: true, false.");
        return current;
    }

    /// <summary>Reads the whole number at <paramref name="key"/>: <see langword="false"/> when there is none or it does not parse.</summary>
    public static bool TryReadNumber(IConfigurationSection section, string key, long minimum, long maximum, string note, Dictionary<string, string>? errors, out int value)
    {
        string? text = section[key];
        if (text is null)
        {
            value = 0;
            return false;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        AddInvalid(errors, section, key, text, string.Create(CultureInfo.InvariantCulture, $"expected a whole number from {minimum} to {maximum}{note}"));
        return false;
    }

    /// <summary>
    /// Reads the duration at <paramref name="key"/>: <see langword="false"/> when there is none or it does not parse,
    /// in which case <paramref name="expected"/> (such as <see cref="Duration(string, string)"/>'s) says what would.
    /// </summary>
    public static bool TryReadDuration(IConfigurationSection section, string key, string expected, Dictionary<string, string>? errors, out TimeSpan value)
    {
        string? text = section[key];
        if (text is null)
        {
            value = TimeSpan.Zero;
            return false;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        AddInvalid(errors, section, key, text, expected);
        return false;
    }

    /// <summary>Gets what a duration setting expects, with its range in words or as two durations.</summary>
    public static string Duration(string range, string example = "00:00:10") => $"expected a duration such as {example} ({range})";

    /// <summary>Gets a range of durations as configuration writes them, such as <c>00:00:01 to 1.00:00:00</c>.</summary>
    public static string Range(TimeSpan minimum, TimeSpan maximum) => $"{minimum:c} to {maximum:c}";

    /// <summary>Describes a value that does not parse, under its key: <paramref name="expected"/> starts with "expected".</summary>
    public static void AddInvalid(Dictionary<string, string>? errors, IConfigurationSection section, string key, string text, string expected) =>
        errors?.Add(key, $"{section.Path}:{key} is '{text}'; {expected}.");

    /// <summary>Adds a failure when <paramref name="value"/> lies outside <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static void CheckRange(List<string> failures, string path, string key, long value, long minimum, long maximum, string note = "")
    {
        if (value < minimum || value > maximum)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:{key} is {value}; allowed: {minimum} to {maximum}{note}."));
        }
    }

    /// <summary>Adds a failure when <paramref name="value"/> lies outside <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static void CheckRange(List<string> failures, string path, string key, TimeSpan value, TimeSpan minimum, TimeSpan maximum, string note = "")
    {
        if (value < minimum || value > maximum)
        {
            failures.Add($"{path}:{key} is {value:c}; allowed: {Range(minimum, maximum)}{note}.");
        }
    }

    /// <summary>Adds a failure when <paramref name="value"/> names no member of its enumeration (code can set any number).</summary>
    public static void CheckDefined<T>(List<string> failures, string path, string key, T value)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            failures.Add($"{path}:{key} is {value}; allowed: {string.Join(", ", Enum.GetNames<T>())}.");
        }
    }
}
