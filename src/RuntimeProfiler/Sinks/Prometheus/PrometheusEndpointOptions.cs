using System.Net;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>Settings of a <see cref="PrometheusEndpoint"/>: where it listens, what it serves, and the limits that protect the host.</summary>
public sealed class PrometheusEndpointOptions
{
    /// <summary>Gets or sets the address to listen on.</summary>
    /// <value>
    /// The default is <see cref="IPAddress.Loopback"/> (127.0.0.1): only this machine can scrape. Set
    /// <see cref="IPAddress.Any"/> or <see cref="IPAddress.IPv6Any"/> to listen on every interface, knowingly.
    /// </value>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>Gets or sets the TCP port.</summary>
    /// <value>The default is 9464, the port OpenTelemetry's Prometheus exporters use; 0 picks a free port (read it from <see cref="PrometheusEndpoint.LocalEndPoint"/>).</value>
    public int Port { get; set; } = 9464;

    /// <summary>Gets or sets the path that serves the metrics; every other path answers 404.</summary>
    /// <value>The default is <c>/metrics</c>. It must start with <c>/</c> and hold no spaces, <c>?</c> or <c>#</c>.</value>
    public string Path { get; set; } = "/metrics";

    /// <summary>Gets or sets the names the figures are exposed under.</summary>
    /// <value>The default is <see cref="MetricNaming.OpenTelemetry"/>.</value>
    public MetricNaming Naming { get; set; } = MetricNaming.OpenTelemetry;

    /// <summary>Gets or sets the shortest time between two readings of the runtime; scrapes within it share one reading.</summary>
    /// <value>The default is 100 milliseconds; see <see cref="PrometheusScraperOptions.MinimumSampleInterval"/>.</value>
    public TimeSpan MinimumSampleInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets whether a scrape that sends <c>Accept-Encoding: gzip</c> (Prometheus does) gets a compressed body.</summary>
    /// <value>The default is <see langword="true"/>. Compression runs once per reading and format, not once per scrape.</value>
    public bool EnableGzip { get; set; } = true;

    /// <summary>
    /// Gets or sets how many connections are served at once. Further connections wait in the accept queue, and
    /// kept-alive connections that are only waiting for their next request are closed to make room for them.
    /// </summary>
    /// <value>The default is 16; from 1 to 1024.</value>
    public int MaxConnections { get; set; } = 16;

    /// <summary>Gets or sets the largest request head (request line and headers) accepted; a larger one is answered 431 and the connection closed.</summary>
    /// <value>The default is 8192 bytes; from 1024 to 65536.</value>
    public int MaxRequestHeaderBytes { get; set; } = 8192;

    /// <summary>
    /// Gets or sets how long a request may take from its first byte to the last byte of its response; a slower
    /// client is disconnected and counted as rejected.
    /// </summary>
    /// <value>The default is 10 seconds; from 100 milliseconds to 5 minutes.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long a kept-alive connection may wait for its next request before it is closed.</summary>
    /// <value>The default is 2 minutes, longer than the usual scrape intervals; from 100 milliseconds to 1 hour.</value>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets whether the endpoint also serves the live page of the figures at <c>/</c>: charts that update on
    /// every sample, over a stream from <c>/events</c> (or polls of <c>/updates</c>), with the files it needs
    /// (<c>/assets/*</c>, <c>/favicon.svg</c>). The metrics path is matched first.
    /// </summary>
    /// <value>The default is <see langword="true"/>. The page samples every <see cref="LivePageOptions.Interval"/> and keeps <see cref="LivePageOptions.History"/> in memory (about 0.75 MB by default).</value>
    public bool EnablePage { get; set; } = true;

    /// <summary>Gets or sets the live page's settings: its interval, its history and how many pages may stream at once.</summary>
    /// <value>
    /// The defaults of <see cref="LivePageOptions"/>. Streams never take the last connection: at most
    /// <see cref="MaxConnections"/> − 1 pages stream, so a scrape always finds a slot; the others poll.
    /// </value>
    public LivePageOptions Page { get; set; } = new();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentNullException"><see cref="Address"/>, <see cref="Path"/> or <see cref="Page"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="Path"/> is not a plain absolute path.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number or duration is out of range; the exception names it.</exception>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Address, nameof(Address));
        ArgumentNullException.ThrowIfNull(Path, nameof(Path));
        if (Path.Length == 0 || Path[0] != '/' || Path.Any(c => c <= ' ' || c >= 0x7F || c is '?' or '#'))
        {
            throw new ArgumentException($"The path must start with '/' and hold only visible ASCII characters other than '?' and '#': '{Path}'.", nameof(Path));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(Port, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, IPEndPoint.MaxPort, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxConnections, 1024, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestHeaderBytes, 1024, nameof(MaxRequestHeaderBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRequestHeaderBytes, 65536, nameof(MaxRequestHeaderBytes));
        CheckRange(RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), nameof(RequestTimeout));
        CheckRange(KeepAliveTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), nameof(KeepAliveTimeout));
        ToScraperOptions().Validate();
        ArgumentNullException.ThrowIfNull(Page, nameof(Page));
        Page.Validate();
    }

    internal PrometheusScraperOptions ToScraperOptions() => new() { Naming = Naming, MinimumSampleInterval = MinimumSampleInterval };

    private static void CheckRange(TimeSpan value, TimeSpan minimum, TimeSpan maximum, string name)
    {
        if (value < minimum || value > maximum)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {minimum} and {maximum}.");
        }
    }
}
