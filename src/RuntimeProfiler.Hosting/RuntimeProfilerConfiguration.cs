using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RuntimeProfiling.Hosting;

/// <summary>
/// Reads the <c>RuntimeProfiler</c> section into <see cref="RuntimeProfilerHostingOptions"/> by hand, so that a
/// value that does not parse becomes a validation message naming the key and what is allowed, instead of a
/// binder exception.
/// </summary>
internal sealed class RuntimeProfilerConfiguration(IConfiguration? configuration) : IConfigureOptions<RuntimeProfilerHostingOptions>
{
    internal static string[] Settings { get; } = ["Interval", "StopTimeout", "FlushOnStop", "SinkErrorLogInterval", "Sinks"];

    public void Configure(RuntimeProfilerHostingOptions options)
    {
        IConfigurationSection? section = configuration?.GetSection(RuntimeProfilerHostingOptions.SectionName);
        if (section is null || !section.Exists())
        {
            return;
        }

        // Each key at most once, so the errors keep the order of the reads.
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        options.Interval = ReadDuration(section, "Interval", options.Interval, "10 ms to 1 day", errors);
        options.StopTimeout = ReadDuration(section, "StopTimeout", options.StopTimeout, "zero to 10 minutes", errors);
        options.SinkErrorLogInterval = ReadDuration(section, "SinkErrorLogInterval", options.SinkErrorLogInterval, "zero to 1 day", errors);
        options.FlushOnStop = ConfigurationSettings.ReadBool(section, "FlushOnStop", options.FlushOnStop, errors);
        options.ConfigurationErrors.AddRange(errors.Values);
    }

    private static TimeSpan ReadDuration(IConfigurationSection section, string key, TimeSpan current, string range, Dictionary<string, string> errors) =>
        ConfigurationSettings.TryReadDuration(section, key, ConfigurationSettings.Duration(range), errors, out TimeSpan value) ? value : current;
}
