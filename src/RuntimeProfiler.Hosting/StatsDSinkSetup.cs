using System.Net;
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

    private const string InfiniteNote = $", or {Infinite} to look the endpoint up once";

    private const string UrlHint = "expected udp://host:8125, unix:///path/to/socket or unixgram:///path/to/socket";

    private static readonly string[] s_settings =
    [
        nameof(StatsDSinkOptions.Url), nameof(StatsDSinkOptions.Host), nameof(StatsDSinkOptions.Port), nameof(StatsDSinkOptions.UnixSocketPath),
        nameof(StatsDSinkOptions.Dialect), nameof(StatsDSinkOptions.Naming), nameof(StatsDSinkOptions.Prefix), nameof(StatsDSinkOptions.GlobalTags),
        nameof(StatsDSinkOptions.MaxDatagramBytes), nameof(StatsDSinkOptions.EndpointRefreshInterval), ReadDatadogEnvironment,
    ];

    private static string Prefix => ConfigurationSettings.SinkPath(Name);

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
        services.AddOptions<StatsDSinkOptions>().Configure<IServiceProvider>((options, sp) => Read(ConfigurationSettings.SinkSection(sp, Name), options, errors: null));
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
                ConfigurationSettings.AddInvalid(errors, section, nameof(StatsDSinkOptions.Url), url, UrlHint);
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
        options.Dialect = ConfigurationSettings.ReadEnum(section, nameof(StatsDSinkOptions.Dialect), options.Dialect);
        options.Naming = ConfigurationSettings.ReadEnum(section, nameof(StatsDSinkOptions.Naming), options.Naming);
        if (ConfigurationSettings.TryReadNumber(section, nameof(StatsDSinkOptions.Port), 1, IPEndPoint.MaxPort, string.Empty, errors, out int port))
        {
            options.Port = port;
        }

        if (ConfigurationSettings.TryReadNumber(section, nameof(StatsDSinkOptions.MaxDatagramBytes), StatsDSinkOptions.MinimumDatagramBytes, StatsDSinkOptions.MaximumDatagramBytes, string.Empty, errors, out int max))
        {
            options.MaxDatagramBytes = max;
        }

        options.EndpointRefreshInterval = ReadRefresh(section, options.EndpointRefreshInterval, errors);
        ReadTags(section.GetSection(nameof(StatsDSinkOptions.GlobalTags)), options, errors);

        // Last, so that the environment wins over the file, as the platform that sets DD_* variables means it to.
        if (ReadsDatadogEnvironment(section))
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

    /// <summary>Gets whether the section opts in to the <c>DD_*</c> variables; a value neither true nor false is the choices check's to report.</summary>
    private static bool ReadsDatadogEnvironment(IConfigurationSection? section) =>
        section is not null && ConfigurationSettings.ReadBool(section, ReadDatadogEnvironment, current: false, errors: null);

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

    private static TimeSpan ReadRefresh(IConfigurationSection section, TimeSpan current, Dictionary<string, string>? errors)
    {
        const string Key = nameof(StatsDSinkOptions.EndpointRefreshInterval);
        if (section[Key] is { } text && string.Equals(text.Trim(), Infinite, StringComparison.OrdinalIgnoreCase))
        {
            return Timeout.InfiniteTimeSpan;
        }

        string expected = ConfigurationSettings.Duration(ConfigurationSettings.Range(s_minimumRefresh, s_maximumRefresh), example: "00:00:30") + InfiniteNote;
        return ConfigurationSettings.TryReadDuration(section, Key, expected, errors, out TimeSpan value) ? value : current;
    }
}
