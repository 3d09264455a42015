using System.Globalization;
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

        options.Interval = ReadDuration(section, "Interval", options.Interval, "10 ms to 1 day", options);
        options.StopTimeout = ReadDuration(section, "StopTimeout", options.StopTimeout, "zero to 10 minutes", options);
        options.SinkErrorLogInterval = ReadDuration(section, "SinkErrorLogInterval", options.SinkErrorLogInterval, "zero to 1 day", options);
        string? flush = section["FlushOnStop"];
        if (flush is not null)
        {
            if (bool.TryParse(flush, out bool value))
            {
                options.FlushOnStop = value;
            }
            else
            {
                options.ConfigurationErrors.Add($"{section.Path}:FlushOnStop is '{flush}'; allowed: true, false.");
            }
        }
    }

    internal static TimeSpan ReadDuration(IConfigurationSection section, string key, TimeSpan current, string range, RuntimeProfilerHostingOptions options)
    {
        string? text = section[key];
        if (text is null)
        {
            return current;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan value))
        {
            return value;
        }

        options.ConfigurationErrors.Add($"{section.Path}:{key} is '{text}'; expected a duration such as 00:00:10 ({range}).");
        return current;
    }
}
