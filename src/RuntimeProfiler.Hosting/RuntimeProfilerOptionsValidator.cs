using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RuntimeProfiling.Hosting;

/// <summary>
/// Validates the settings' ranges, the configuration's keys (every sink name and setting known, every
/// enumerated value allowed), values that did not parse, the options of every enabled sink that checks its own,
/// and that at least one sink is enabled. Every message names the key and the allowed values.
/// </summary>
internal sealed class RuntimeProfilerOptionsValidator(IServiceProvider services, SinkRegistry registry) : IValidateOptions<RuntimeProfilerHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, RuntimeProfilerHostingOptions options)
    {
        var failures = new List<string>(options.ConfigurationErrors);
        IConfiguration? configuration = services.GetService<IConfiguration>();
        IConfigurationSection? section = configuration?.GetSection(RuntimeProfilerHostingOptions.SectionName);
        bool sectionExists = section is not null && section.Exists();
        if (!sectionExists && !registry.ConfiguredInCode)
        {
            failures.Add($"The configuration section '{RuntimeProfilerHostingOptions.SectionName}' is missing: add it with at least one sink under {RuntimeProfilerHostingOptions.SectionName}:Sinks ({string.Join(", ", registry.KnownNames)}), or configure the sinks in code with AddRuntimeProfiler(builder => builder.AddConsole()).");
            return ValidateOptionsResult.Fail(failures);
        }

        ConfigurationSettings.CheckRange(failures, RuntimeProfilerHostingOptions.SectionName, "Interval", options.Interval, RuntimeProfiling.Collection.RuntimeProfiler.MinimumInterval, RuntimeProfiling.Collection.RuntimeProfiler.MaximumInterval);
        ConfigurationSettings.CheckRange(failures, RuntimeProfilerHostingOptions.SectionName, "StopTimeout", options.StopTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        ConfigurationSettings.CheckRange(failures, RuntimeProfilerHostingOptions.SectionName, "SinkErrorLogInterval", options.SinkErrorLogInterval, TimeSpan.Zero, TimeSpan.FromDays(1));

        var enabled = new HashSet<string>(registry.EnabledInCode, StringComparer.OrdinalIgnoreCase);
        if (sectionExists)
        {
            foreach (IConfigurationSection setting in section!.GetChildren())
            {
                if (!RuntimeProfilerConfiguration.Settings.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
                {
                    failures.Add($"{setting.Path} is not a setting; allowed: {string.Join(", ", RuntimeProfilerConfiguration.Settings)}.");
                }
            }

            foreach (IConfigurationSection sink in section.GetSection("Sinks").GetChildren())
            {
                ValidateSink(sink, enabled, failures);
            }
        }

        foreach (SinkDescriptor descriptor in ResolveEnabled(configuration, registry))
        {
            failures.AddRange(descriptor.Validate?.Invoke(services) ?? []);
        }

        if (enabled.Count == 0)
        {
            failures.Add($"No sink is enabled: add one under {RuntimeProfilerHostingOptions.SectionName}:Sinks ({string.Join(", ", registry.KnownNames)}) or in code (builder.AddConsole(), ...).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Gets whether configuration turns a sink on: it has a section whose <c>Enabled</c> is not <c>false</c>.</summary>
    internal static bool IsEnabled(IConfigurationSection sink) => !string.Equals(sink["Enabled"], "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the sinks to run: those added in code and those with a configuration section, minus those whose
    /// section says <c>"Enabled": false</c> (configuration can switch off a sink that code added).
    /// </summary>
    internal static IReadOnlyList<SinkDescriptor> ResolveEnabled(IConfiguration? configuration, SinkRegistry registry)
    {
        var names = new List<string>(registry.EnabledInCode);
        IConfigurationSection? sinks = configuration?.GetSection(RuntimeProfilerHostingOptions.SectionName).GetSection("Sinks");
        foreach (IConfigurationSection sink in sinks?.GetChildren() ?? [])
        {
            names.RemoveAll(n => string.Equals(n, sink.Key, StringComparison.OrdinalIgnoreCase));
            if (IsEnabled(sink))
            {
                names.Add(sink.Key);
            }
        }

        var resolved = new List<SinkDescriptor>();
        foreach (string name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (registry.TryGet(name, out SinkDescriptor descriptor))
            {
                resolved.Add(descriptor);
            }
        }

        return resolved;
    }

    private void ValidateSink(IConfigurationSection sink, HashSet<string> enabled, List<string> failures)
    {
        if (!registry.TryGet(sink.Key, out SinkDescriptor descriptor))
        {
            failures.Add($"{sink.Path} is not a sink; allowed: {string.Join(", ", registry.KnownNames)}.");
            return;
        }

        string? flag = sink["Enabled"];
        if (flag is not null && !bool.TryParse(flag, out _))
        {
            failures.Add($"{sink.Path}:Enabled is '{flag}'; allowed: true, false.");
        }

        if (IsEnabled(sink))
        {
            enabled.Add(descriptor.Name);
        }
        else
        {
            enabled.Remove(descriptor.Name);
        }

        if (descriptor.Settings is { } settings)
        {
            foreach (IConfigurationSection setting in sink.GetChildren())
            {
                if (!string.Equals(setting.Key, "Enabled", StringComparison.OrdinalIgnoreCase) && !settings.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
                {
                    failures.Add($"{setting.Path} is not a setting of the {descriptor.Name} sink; allowed: {string.Join(", ", ["Enabled", .. settings])}.");
                }
            }
        }

        foreach ((string key, string[] allowed) in descriptor.Choices)
        {
            string? value = sink[key];
            if (value is not null && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{sink.Path}:{key} is '{value}'; allowed: {string.Join(", ", allowed)}.");
            }
        }
    }
}
