using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Settings of a <see cref="StatsDSink"/>: where to send (host and port, a Unix socket, or a URL), the
/// dialect, the names, a prefix, global tags and the datagram size. Validated once, when the sink is built.
/// </summary>
/// <remarks>
/// Nothing here reads the environment; call <see cref="ReadDatadogEnvironment()"/> to take the usual
/// <c>DD_*</c> variables. Not thread-safe: configure it, then hand it to the sink, which copies what it needs.
/// </remarks>
public sealed partial class StatsDSinkOptions
{
    /// <summary>The StatsD port when none is given: 8125.</summary>
    public const int DefaultPort = 8125;

    /// <summary>The largest UDP datagram sent by default: 1432 bytes, which fits a 1500-byte Ethernet MTU with IPv4 or IPv6 and UDP headers, so no datagram is fragmented.</summary>
    public const long DefaultUdpDatagramBytes = 1432;

    /// <summary>The largest Unix-socket datagram sent by default: 8192 bytes, the buffer the Datadog agent reads Unix-socket datagrams into.</summary>
    public const long DefaultUnixDatagramBytes = 8192;

    /// <summary>The smallest allowed <see cref="MaxDatagramBytes"/>: 64 bytes.</summary>
    public const long MinimumDatagramBytes = 64;

    /// <summary>The largest allowed <see cref="MaxDatagramBytes"/>: 65507 bytes, the largest UDP payload over IPv4.</summary>
    public const long MaximumDatagramBytes = 65507;

    /// <summary>Gets or sets the host name or IP address of the StatsD server, used when neither <see cref="Url"/> nor <see cref="UnixSocketPath"/> is set.</summary>
    /// <value>The default is <c>127.0.0.1</c>. A name is resolved in the background and again every <see cref="EndpointRefreshInterval"/>.</value>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Gets or sets the UDP port of the StatsD server, used with <see cref="Host"/>.</summary>
    /// <value>The default is 8125. Allowed: 1 to 65535.</value>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// Gets or sets the path of a Unix datagram socket to send to (such as the Datadog agent's <c>dsd.socket</c>);
    /// when set, <see cref="Host"/> and <see cref="Port"/> are not used.
    /// </summary>
    /// <value>The default is <see langword="null"/> (send over UDP).</value>
    public string? UnixSocketPath { get; set; }

    /// <summary>
    /// Gets or sets where to send as a URL: <c>udp://host:8125</c> (the port defaults to 8125), <c>unix:///path/to/dsd.socket</c>
    /// or <c>unixgram:///path/to/dsd.socket</c>. When set, it wins over <see cref="Host"/>, <see cref="Port"/> and <see cref="UnixSocketPath"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Uri? Url { get; set; }

    /// <summary>Gets or sets the flavour of the line protocol.</summary>
    /// <value>The default is <see cref="StatsDDialect.Etsy"/>, which every StatsD server accepts.</value>
    public StatsDDialect Dialect { get; set; } = StatsDDialect.Etsy;

    /// <summary>Gets or sets the names the figures are sent under.</summary>
    /// <value>The default is <see cref="MetricNaming.OpenTelemetry"/>.</value>
    public MetricNaming Naming { get; set; } = MetricNaming.OpenTelemetry;

    /// <summary>
    /// Gets or sets a prefix put before every name, followed by a dot (<c>myapp</c> gives <c>myapp.dotnet.gc.heap.size</c>).
    /// Leading and trailing dots are removed, and characters the dialect does not allow in names become <c>_</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/> (no prefix).</value>
    public string? Prefix { get; set; }

    /// <summary>
    /// Gets the tags added to every line (for example <c>service</c>, <c>env</c>, <c>version</c>, <c>host</c>), sent in
    /// key order after the figure's own attributes. Keys and values must not be empty; characters the dialect does not
    /// allow become <c>_</c>. Plain StatsD has no tags: with <see cref="StatsDDialect.Etsy"/> this must stay empty.
    /// </summary>
    public IDictionary<string, string> GlobalTags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the largest datagram sent, in bytes. Lines are packed into as few datagrams as fit; a line is never
    /// split, and a single line longer than this is dropped and counted (<c>runtime_profiler.statsd.dropped{reason=too_long}</c>).
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: <see cref="DefaultUdpDatagramBytes"/> (1432) over UDP and
    /// <see cref="DefaultUnixDatagramBytes"/> (8192) over a Unix socket. Allowed: 64 to 65507.
    /// </value>
    public long? MaxDatagramBytes { get; set; }

    /// <summary>
    /// Gets or sets how often the endpoint is looked up again: a host name is resolved again, so the sink follows an
    /// agent whose address changes (as agents do when they move in Kubernetes), and a Unix socket path is opened
    /// again, so the sink follows a socket file replaced while its old receiver still runs. Lookups run in the
    /// background and never delay a sample.
    /// </summary>
    /// <value>The default is 30 seconds. Allowed: 1 second to 1 day, or <see cref="Timeout.InfiniteTimeSpan"/> to look up once.</value>
    public TimeSpan EndpointRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
