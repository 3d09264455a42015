using System.Globalization;
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
    private static readonly (string Key, Func<PrometheusEndpointOptions, int> Get, int Minimum, int Maximum, string Note)[] s_numbers =
    [
        (nameof(PrometheusEndpointOptions.Port), o => o.Port, 0, IPEndPoint.MaxPort, " (0 picks a free port)"),
        (nameof(PrometheusEndpointOptions.MaxConnections), o => o.MaxConnections, 1, 1024, string.Empty),
        (nameof(PrometheusEndpointOptions.MaxRequestHeaderBytes), o => o.MaxRequestHeaderBytes, 1024, 65536, string.Empty),
    ];

    private static readonly (string Key, Func<PrometheusEndpointOptions, TimeSpan> Get, TimeSpan Minimum, TimeSpan Maximum)[] s_durations =
    [
        (nameof(PrometheusEndpointOptions.MinimumSampleInterval), o => o.MinimumSampleInterval, TimeSpan.Zero, PrometheusScraperOptions.MaximumSampleInterval),
        (nameof(PrometheusEndpointOptions.RequestTimeout), o => o.RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
        (nameof(PrometheusEndpointOptions.KeepAliveTimeout), o => o.KeepAliveTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
    ];

    private static string Prefix => $"{RuntimeProfilerHostingOptions.SectionName}:Sinks:{Name}";

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
        services.AddOptions<PrometheusEndpointOptions>().Configure<IServiceProvider>((options, sp) => Read(Section(sp), options, errors: null));
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
                errors?.Add(nameof(PrometheusEndpointOptions.Address), $"{section.Path}:Address is '{address}'; {AddressHint}.");
            }
        }

        options.Path = section[nameof(PrometheusEndpointOptions.Path)] ?? options.Path;
        if (Enum.TryParse(section[nameof(PrometheusEndpointOptions.Naming)], ignoreCase: true, out MetricNaming naming) && Enum.IsDefined(naming))
        {
            options.Naming = naming;
        }

        if (bool.TryParse(section[nameof(PrometheusEndpointOptions.EnableGzip)], out bool gzip))
        {
            options.EnableGzip = gzip;
        }

        if (bool.TryParse(section[nameof(PrometheusEndpointOptions.EnablePage)], out bool page))
        {
            options.EnablePage = page;
        }

        options.Port = ReadNumber(section, nameof(PrometheusEndpointOptions.Port), options.Port, errors);
        options.MaxConnections = ReadNumber(section, nameof(PrometheusEndpointOptions.MaxConnections), options.MaxConnections, errors);
        options.MaxRequestHeaderBytes = ReadNumber(section, nameof(PrometheusEndpointOptions.MaxRequestHeaderBytes), options.MaxRequestHeaderBytes, errors);
        options.MinimumSampleInterval = ReadDuration(section, nameof(PrometheusEndpointOptions.MinimumSampleInterval), options.MinimumSampleInterval, errors);
        options.RequestTimeout = ReadDuration(section, nameof(PrometheusEndpointOptions.RequestTimeout), options.RequestTimeout, errors);
        options.KeepAliveTimeout = ReadDuration(section, nameof(PrometheusEndpointOptions.KeepAliveTimeout), options.KeepAliveTimeout, errors);
    }

    /// <summary>
    /// Checks what configuration says (values that do not parse) and then the options as the endpoint will get
    /// them, configuration's and code's together (values out of range), naming each key and what it allows.
    /// </summary>
    internal static IEnumerable<string> Validate(IServiceProvider services)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        Read(Section(services), new PrometheusEndpointOptions(), errors);
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

        if (!Enum.IsDefined(options.Naming))
        {
            failures.Add($"{Prefix}:Naming is {options.Naming}; allowed: {string.Join(", ", Enum.GetNames<MetricNaming>())}.");
        }

        foreach ((string key, Func<PrometheusEndpointOptions, int> get, int minimum, int maximum, string note) in s_numbers)
        {
            int value = get(options);
            if (!errors.ContainsKey(key) && (value < minimum || value > maximum))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}:{key} is {value}; allowed: {minimum} to {maximum}{note}."));
            }
        }

        foreach ((string key, Func<PrometheusEndpointOptions, TimeSpan> get, TimeSpan minimum, TimeSpan maximum) in s_durations)
        {
            TimeSpan value = get(options);
            if (!errors.ContainsKey(key) && (value < minimum || value > maximum))
            {
                failures.Add($"{Prefix}:{key} is {value:c}; allowed: {minimum:c} to {maximum:c}.");
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

    private static IConfigurationSection? Section(IServiceProvider services) =>
        services.GetService<IConfiguration>()?.GetSection(Prefix);

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

    private static int ReadNumber(IConfigurationSection section, string key, int current, Dictionary<string, string>? errors)
    {
        string? text = section[key];
        if (text is null)
        {
            return current;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        (int minimum, int maximum, string note) = s_numbers.Where(n => n.Key == key).Select(n => (n.Minimum, n.Maximum, n.Note)).Single();
        errors?.Add(key, string.Create(CultureInfo.InvariantCulture, $"{section.Path}:{key} is '{text}'; expected a whole number from {minimum} to {maximum}{note}."));
        return current;
    }

    private static TimeSpan ReadDuration(IConfigurationSection section, string key, TimeSpan current, Dictionary<string, string>? errors)
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

        (TimeSpan minimum, TimeSpan maximum) = s_durations.Where(d => d.Key == key).Select(d => (d.Minimum, d.Maximum)).Single();
        errors?.Add(key, $"{section.Path}:{key} is '{text}'; expected a duration such as 00:00:10 ({minimum:c} to {maximum:c}).");
        return current;
    }
}
