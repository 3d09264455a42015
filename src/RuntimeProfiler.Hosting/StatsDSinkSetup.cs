using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Hosting;

/// <summary>
/// The <c>StatsD</c> sink of a host: the core's <see cref="StatsDSink"/>, set from <c>RuntimeProfiler:Sinks:StatsD</c>,
/// then from the <c>DD_*</c> environment variables when that section says <c>"ReadDatadogEnvironment": true</c>, then
/// from code; checked at start-up with messages naming each key, fed by the profiler and closed with the host.
/// </summary>
internal static partial class StatsDSinkSetup
{
    public const string Name = "StatsD";

    /// <summary>The key of the opt-in to the <c>DD_*</c> environment variables; not an option of the core's sink, which reads them only when asked.</summary>
    public const string ReadDatadogEnvironment = "ReadDatadogEnvironment";

    /// <summary>The word configuration may use for <see cref="Timeout.InfiniteTimeSpan"/> (look the endpoint up once).</summary>
    public const string Infinite = "Infinite";

    private const string UrlHint = "expected udp://host:8125, unix:///path/to/socket or unixgram:///path/to/socket";

    private static readonly string[] s_settings =
    [
        nameof(StatsDSinkOptions.Url), nameof(StatsDSinkOptions.Host), nameof(StatsDSinkOptions.Port), nameof(StatsDSinkOptions.UnixSocketPath),
        nameof(StatsDSinkOptions.Dialect), nameof(StatsDSinkOptions.Naming), nameof(StatsDSinkOptions.Prefix), nameof(StatsDSinkOptions.GlobalTags),
        nameof(StatsDSinkOptions.MaxDatagramBytes), nameof(StatsDSinkOptions.EndpointRefreshInterval), ReadDatadogEnvironment,
    ];

    private static string Prefix => $"{RuntimeProfilerHostingOptions.SectionName}:Sinks:{Name}";

    public static void Register(IServiceCollection services, SinkRegistry registry)
    {
        registry.Register(new SinkDescriptor(
            Name,
            Create,
            new Dictionary<string, string[]>
            {
                [nameof(StatsDSinkOptions.Dialect)] = Enum.GetNames<StatsDDialect>(),
                [nameof(StatsDSinkOptions.Naming)] = Enum.GetNames<MetricNaming>(),
                [ReadDatadogEnvironment] = ["true", "false"],
            },
            s_settings,
            Validate));

        // Registered before any AddStatsD(o => ...) of code, so code's settings apply after configuration's and the environment's.
        services.AddOptions<StatsDSinkOptions>().Configure<IServiceProvider>((options, sp) => Read(Section(sp), options, errors: null));
    }

    /// <summary>
    /// Reads the section into <paramref name="options"/>, then the <c>DD_*</c> variables when the section opts in, leaving
    /// a value that does not parse as it was and, when <paramref name="errors"/> is given, describing it there.
    /// </summary>
    internal static void Read(IConfigurationSection? section, StatsDSinkOptions options, Dictionary<string, string>? errors)
    {
        if (section is null || !section.Exists())
        {
            return;
        }

        // An empty Url or UnixSocketPath means "not set", so a later configuration source can clear what an earlier one set.
        if (section[nameof(StatsDSinkOptions.Url)] is { Length: > 0 } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed))
            {
                options.Url = parsed;
            }
            else
            {
                errors?.Add(nameof(StatsDSinkOptions.Url), $"{section.Path}:Url is '{url}'; {UrlHint}.");
            }
        }
        else if (section[nameof(StatsDSinkOptions.Url)] is not null)
        {
            options.Url = null;
        }

        if (section[nameof(StatsDSinkOptions.UnixSocketPath)] is { } path)
        {
            options.UnixSocketPath = path.Length == 0 ? null : path;
        }

        options.Host = section[nameof(StatsDSinkOptions.Host)] ?? options.Host;
        options.Prefix = section[nameof(StatsDSinkOptions.Prefix)] ?? options.Prefix;
        if (Enum.TryParse(section[nameof(StatsDSinkOptions.Dialect)], ignoreCase: true, out StatsDDialect dialect) && Enum.IsDefined(dialect))
        {
            options.Dialect = dialect;
        }

        if (Enum.TryParse(section[nameof(StatsDSinkOptions.Naming)], ignoreCase: true, out MetricNaming naming) && Enum.IsDefined(naming))
        {
            options.Naming = naming;
        }

        options.Port = (int)ReadNumber(section, nameof(StatsDSinkOptions.Port), options.Port, 1, 65535, errors);
        if (section[nameof(StatsDSinkOptions.MaxDatagramBytes)] is not null)
        {
            options.MaxDatagramBytes = ReadNumber(
                section, nameof(StatsDSinkOptions.MaxDatagramBytes), options.MaxDatagramBytes ?? 0, StatsDSinkOptions.MinimumDatagramBytes, StatsDSinkOptions.MaximumDatagramBytes, errors);
        }

        options.EndpointRefreshInterval = ReadRefresh(section, options.EndpointRefreshInterval, errors);
        ReadTags(section.GetSection(nameof(StatsDSinkOptions.GlobalTags)), options, errors);

        // Last, so that the environment wins over the file, as the platform that sets DD_* variables means it to.
        if (bool.TryParse(section[ReadDatadogEnvironment], out bool readEnvironment) && readEnvironment)
        {
            try
            {
                options.ReadDatadogEnvironment();
            }
            catch (ArgumentException e)
            {
                errors?.Add(ReadDatadogEnvironment, $"{section.Path}:{ReadDatadogEnvironment} is true, and {e.Message}");
            }
        }
    }

    private static SinkInstance Create(IServiceProvider services)
    {
        StatsDSinkOptions options = services.GetRequiredService<IOptions<StatsDSinkOptions>>().Value;

        // Nothing is resolved or sent until the first sample: a server that is not up yet costs counted drops, not the start.
#pragma warning disable CA2000 // Handed to the hosted service, which disposes it on stop, after the profiler's last sample.
        var sink = new StatsDSink(options);
#pragma warning restore CA2000
        Log.StatsDSending(services.GetRequiredService<ILogger<RuntimeProfilerHostedService>>(), sink.Dialect, sink.Endpoint);
        return new SinkInstance(sink, sink);
    }

    private static IConfigurationSection? Section(IServiceProvider services) =>
        services.GetService<IConfiguration>()?.GetSection(Prefix);

    private static void ReadTags(IConfigurationSection tags, StatsDSinkOptions options, Dictionary<string, string>? errors)
    {
        foreach (IConfigurationSection tag in tags.GetChildren())
        {
            if (tag.Value is null)
            {
                // "GlobalTags": { "a": { "b": "c" } }, or a key holding ':', which configuration reads as nesting.
                errors?.TryAdd(nameof(StatsDSinkOptions.GlobalTags), $"{tag.Path} is a section; expected a tag value such as \"GlobalTags\": {{ \"team\": \"payments\" }} (a tag key cannot hold ':').");
                continue;
            }

            options.GlobalTags[tag.Key] = tag.Value;
        }
    }

    private static long ReadNumber(IConfigurationSection section, string key, long current, long minimum, long maximum, Dictionary<string, string>? errors)
    {
        string? text = section[key];
        if (text is null)
        {
            return current;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value is >= int.MinValue and <= int.MaxValue)
        {
            return value;
        }

        errors?.Add(key, string.Create(CultureInfo.InvariantCulture, $"{section.Path}:{key} is '{text}'; expected a whole number from {minimum} to {maximum}."));
        return current;
    }

    private static TimeSpan ReadRefresh(IConfigurationSection section, TimeSpan current, Dictionary<string, string>? errors)
    {
        const string Key = nameof(StatsDSinkOptions.EndpointRefreshInterval);
        string? text = section[Key];
        if (text is null)
        {
            return current;
        }

        if (string.Equals(text.Trim(), Infinite, StringComparison.OrdinalIgnoreCase))
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan value))
        {
            return value;
        }

        errors?.Add(Key, $"{section.Path}:{Key} is '{text}'; expected a duration such as 00:00:30 (00:00:01 to 1.00:00:00), or {Infinite} to look the endpoint up once.");
        return current;
    }
}
