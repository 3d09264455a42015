using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.Hosting;

/// <summary>
/// The <c>Prometheus</c> sink of a host: the core's standalone <see cref="PrometheusEndpoint"/>, set from
/// <c>RuntimeProfiler:Sinks:Prometheus</c> and then from code, checked at start-up with messages naming each key,
/// started with the host (a port in use fails the start) and stopped with it.
/// </summary>
internal static class PrometheusSinkSetup
{
    public const string Name = "Prometheus";

    private const string AddressHint = "expected an IP address such as 127.0.0.1 (this machine only), 0.0.0.0 (every IPv4 interface) or :: (every interface)";

    private static readonly string[] s_settings =
    [
        nameof(PrometheusEndpointOptions.Address), nameof(PrometheusEndpointOptions.Port), nameof(PrometheusEndpointOptions.Path),
        nameof(PrometheusEndpointOptions.Naming), nameof(PrometheusEndpointOptions.MinimumSampleInterval), nameof(PrometheusEndpointOptions.EnableGzip),
        nameof(PrometheusEndpointOptions.MaxConnections), nameof(PrometheusEndpointOptions.MaxRequestHeaderBytes),
        nameof(PrometheusEndpointOptions.RequestTimeout), nameof(PrometheusEndpointOptions.KeepAliveTimeout),
        nameof(PrometheusEndpointOptions.EnablePage),
    ];

    // The ranges PrometheusEndpointOptions enforces, so that configuration hears of them before the endpoint is
    // built; a test holds the two together.
    private static readonly (string Key, Func<PrometheusEndpointOptions, int> Get, Action<PrometheusEndpointOptions, int> Set, int Minimum, int Maximum, string Note)[] s_numbers =
    [
        (nameof(PrometheusEndpointOptions.Port), o => o.Port, (o, v) => o.Port = v, 0, IPEndPoint.MaxPort, " (0 picks a free port)"),
        (nameof(PrometheusEndpointOptions.MaxConnections), o => o.MaxConnections, (o, v) => o.MaxConnections = v, 1, 1024, string.Empty),
        (nameof(PrometheusEndpointOptions.MaxRequestHeaderBytes), o => o.MaxRequestHeaderBytes, (o, v) => o.MaxRequestHeaderBytes = v, 1024, 65536, string.Empty),
    ];

    private static readonly (string Key, Func<PrometheusEndpointOptions, TimeSpan> Get, Action<PrometheusEndpointOptions, TimeSpan> Set, TimeSpan Minimum, TimeSpan Maximum)[] s_durations =
    [
        (nameof(PrometheusEndpointOptions.MinimumSampleInterval), o => o.MinimumSampleInterval, (o, v) => o.MinimumSampleInterval = v, TimeSpan.Zero, PrometheusScraperOptions.MaximumSampleInterval),
        (nameof(PrometheusEndpointOptions.RequestTimeout), o => o.RequestTimeout, (o, v) => o.RequestTimeout = v, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
        (nameof(PrometheusEndpointOptions.KeepAliveTimeout), o => o.KeepAliveTimeout, (o, v) => o.KeepAliveTimeout = v, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
    ];

    private static string Prefix => ConfigurationSettings.SinkPath(Name);

    public static void Register(IServiceCollection services, SinkRegistry registry)
    {
        registry.Register(new SinkDescriptor(
            Name,
            Create,
            new Dictionary<string, string[]>
            {
                [nameof(PrometheusEndpointOptions.Naming)] = Enum.GetNames<MetricNaming>(),
                [nameof(PrometheusEndpointOptions.EnableGzip)] = ["true", "false"],
                [nameof(PrometheusEndpointOptions.EnablePage)] = ["true", "false"],
            },
            s_settings,
            Validate));
        services.AddOptions<PrometheusEndpointOptions>().Configure<IServiceProvider>((options, sp) => Read(ConfigurationSettings.SinkSection(sp, Name), options, errors: null));
    }

    /// <summary>Reads the section into <paramref name="options"/>, leaving a value that does not parse as it was and, when <paramref name="errors"/> is given, describing it there.</summary>
    internal static void Read(IConfigurationSection? section, PrometheusEndpointOptions options, Dictionary<string, string>? errors)
    {
        if (section is null || !section.Exists())
        {
            return;
        }

        if (section[nameof(PrometheusEndpointOptions.Address)] is { } address)
        {
            if (TryParseAddress(address, out IPAddress? parsed))
            {
                options.Address = parsed;
            }
            else
            {
                ConfigurationSettings.AddInvalid(errors, section, nameof(PrometheusEndpointOptions.Address), address, AddressHint);
            }
        }

        // Flags and names that are not allowed values are reported by the validator's check of the sink's choices.
        options.Path = section[nameof(PrometheusEndpointOptions.Path)] ?? options.Path;
        options.Naming = ConfigurationSettings.ReadEnum(section, nameof(PrometheusEndpointOptions.Naming), options.Naming);
        options.EnableGzip = ConfigurationSettings.ReadBool(section, nameof(PrometheusEndpointOptions.EnableGzip), options.EnableGzip, errors: null);
        options.EnablePage = ConfigurationSettings.ReadBool(section, nameof(PrometheusEndpointOptions.EnablePage), options.EnablePage, errors: null);
        foreach ((string key, _, Action<PrometheusEndpointOptions, int> set, int minimum, int maximum, string note) in s_numbers)
        {
            if (ConfigurationSettings.TryReadNumber(section, key, minimum, maximum, note, errors, out int value))
            {
                set(options, value);
            }
        }

        foreach ((string key, _, Action<PrometheusEndpointOptions, TimeSpan> set, TimeSpan minimum, TimeSpan maximum) in s_durations)
        {
            if (ConfigurationSettings.TryReadDuration(section, key, ConfigurationSettings.Duration(ConfigurationSettings.Range(minimum, maximum)), errors, out TimeSpan value))
            {
                set(options, value);
            }
        }
    }

    /// <summary>
    /// Checks what configuration says (values that do not parse) and then the options as the endpoint will get
    /// them, configuration's and code's together (values out of range), naming each key and what it allows.
    /// </summary>
    internal static IEnumerable<string> Validate(IServiceProvider services)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        Read(ConfigurationSettings.SinkSection(services, Name), new PrometheusEndpointOptions(), errors);
        var failures = new List<string>(errors.Values);
        PrometheusEndpointOptions options = services.GetRequiredService<IOptions<PrometheusEndpointOptions>>().Value;

        if (options.Address is null)
        {
            failures.Add($"{Prefix}:Address is missing; {AddressHint}.");
        }

        if (options.Path is null || options.Path.Length == 0 || options.Path[0] != '/' || options.Path.Any(c => c <= ' ' || c >= 0x7F || c is '?' or '#'))
        {
            failures.Add($"{Prefix}:Path is '{options.Path}'; expected a path that starts with '/' and holds only visible ASCII characters other than '?' and '#', such as /metrics.");
        }

        ConfigurationSettings.CheckDefined(failures, Prefix, nameof(PrometheusEndpointOptions.Naming), options.Naming);
        foreach ((string key, Func<PrometheusEndpointOptions, int> get, _, int minimum, int maximum, string note) in s_numbers)
        {
            if (!errors.ContainsKey(key))
            {
                ConfigurationSettings.CheckRange(failures, Prefix, key, get(options), minimum, maximum, note);
            }
        }

        foreach ((string key, Func<PrometheusEndpointOptions, TimeSpan> get, _, TimeSpan minimum, TimeSpan maximum) in s_durations)
        {
            if (!errors.ContainsKey(key))
            {
                ConfigurationSettings.CheckRange(failures, Prefix, key, get(options), minimum, maximum);
            }
        }

        return failures;
    }

    private static SinkInstance Create(IServiceProvider services)
    {
        PrometheusEndpointOptions options = services.GetRequiredService<IOptions<PrometheusEndpointOptions>>().Value;
#pragma warning disable CA2000 // Disposed here when it cannot start, else handed to the hosted service, which disposes it on stop.
        var endpoint = new PrometheusEndpoint(options);
#pragma warning restore CA2000
        try
        {
            endpoint.Start();
        }
        catch
        {
            endpoint.Dispose();
            throw;
        }

        Log.PrometheusServing(services.GetRequiredService<ILogger<RuntimeProfilerHostedService>>(), $"http://{endpoint.LocalEndPoint}{options.Path}");
        return new SinkInstance(null, endpoint);
    }

    private static bool TryParseAddress(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        if (string.Equals(text, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        // IPAddress.TryParse also takes "9464" or "127.1" as IPv4 addresses: only the full dotted form is one here.
        address = null;
        return (text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3) && IPAddress.TryParse(text, out address);
    }
}
