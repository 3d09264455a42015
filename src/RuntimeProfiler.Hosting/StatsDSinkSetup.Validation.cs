using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Hosting;

/// <content>The start-up check: every problem at once, each named by its configuration key with what it allows.</content>
internal static partial class StatsDSinkSetup
{
    private static readonly TimeSpan s_minimumRefresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maximumRefresh = TimeSpan.FromDays(1);

    /// <summary>
    /// Checks what configuration and the environment say (values that do not parse) and then the options as the sink
    /// will get them, configuration's, the environment's and code's together, naming each key and what it allows.
    /// </summary>
    internal static IEnumerable<string> Validate(IServiceProvider services)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        IConfigurationSection? section = ConfigurationSettings.SinkSection(services, Name);
        Read(section, new StatsDSinkOptions(), errors);
        var failures = new List<string>(errors.Values);
        StatsDSinkOptions options = services.GetRequiredService<IOptions<StatsDSinkOptions>>().Value;
        bool fromEnvironment = ReadsDatadogEnvironment(section);

        if (options.Url is null && options.UnixSocketPath is null && !errors.ContainsKey(nameof(StatsDSinkOptions.Url)))
        {
            if (string.IsNullOrWhiteSpace(options.Host) || Uri.CheckHostName(options.Host.Trim()) == UriHostNameType.Unknown)
            {
                failures.Add($"{Prefix}:Host is '{options.Host}'; expected a host name or IP address such as 127.0.0.1 or statsd.monitoring (or set Url or UnixSocketPath).");
            }

            if (!errors.ContainsKey(nameof(StatsDSinkOptions.Port)))
            {
                ConfigurationSettings.CheckRange(failures, Prefix, nameof(StatsDSinkOptions.Port), options.Port, 1, IPEndPoint.MaxPort);
            }
        }

        ConfigurationSettings.CheckDefined(failures, Prefix, nameof(StatsDSinkOptions.Dialect), options.Dialect);
        ConfigurationSettings.CheckDefined(failures, Prefix, nameof(StatsDSinkOptions.Naming), options.Naming);
        if (!errors.ContainsKey(nameof(StatsDSinkOptions.MaxDatagramBytes)) && options.MaxDatagramBytes is { } max)
        {
            ConfigurationSettings.CheckRange(
                failures,
                Prefix,
                nameof(StatsDSinkOptions.MaxDatagramBytes),
                max,
                StatsDSinkOptions.MinimumDatagramBytes,
                StatsDSinkOptions.MaximumDatagramBytes,
                string.Create(CultureInfo.InvariantCulture, $" (unset: {StatsDSinkOptions.DefaultUdpDatagramBytes} over UDP, {StatsDSinkOptions.DefaultUnixDatagramBytes} over a Unix socket)"));
        }

        if (!errors.ContainsKey(nameof(StatsDSinkOptions.EndpointRefreshInterval)) && options.EndpointRefreshInterval != Timeout.InfiniteTimeSpan)
        {
            ConfigurationSettings.CheckRange(
                failures, Prefix, nameof(StatsDSinkOptions.EndpointRefreshInterval), options.EndpointRefreshInterval, s_minimumRefresh, s_maximumRefresh, InfiniteNote);
        }

        CheckTags(options, fromEnvironment, failures);

        // What the checks above do not cover (a URL's scheme, host or path, a socket path), the sink's own validation
        // does; its message is kept, under the key. Building the sink opens nothing, so this has no effect but the check.
        if (failures.Count == 0)
        {
            try
            {
                new StatsDSink(options).Dispose();
            }
            catch (ArgumentException e)
            {
                // The exception's message ends with "(Parameter 'Url')" and, when out of range, a line with the value.
                string message = e.Message.Split('\n')[0].Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal).Trim();
                failures.Add($"{Prefix}:{e.ParamName}: {message}");
            }
        }

        return failures;
    }

    private static void CheckTags(StatsDSinkOptions options, bool fromEnvironment, List<string> failures)
    {
        if (options.GlobalTags.Count == 0)
        {
            return;
        }

        if (options.Dialect == StatsDDialect.Etsy)
        {
            string source = fromEnvironment ? " (with ReadDatadogEnvironment, DD_ENV, DD_SERVICE and DD_VERSION add the tags env, service and version)" : string.Empty;
            failures.Add($"{Prefix}:GlobalTags holds {string.Join(", ", options.GlobalTags.Keys.Order(StringComparer.Ordinal))}, but plain StatsD (Dialect Etsy, the default) has no tags{source}; set Dialect to DogStatsD or Telegraf, or use Prefix instead.");
        }

        foreach ((string key, string value) in options.GlobalTags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{Prefix}:GlobalTags:{key} is '{value}'; a tag needs a key and a value that are not empty, such as \"team\": \"payments\".");
            }
        }
    }
}
