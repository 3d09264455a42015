using System.Buffers;
using System.IO.Compression;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// Answers Prometheus scrapes: samples the runtime at scrape time (at most once per
/// <see cref="PrometheusScraperOptions.MinimumSampleInterval"/>) and renders every figure in the format the
/// scraper asked for. The standalone <see cref="PrometheusEndpoint"/> and the ASP.NET Core mapping use one;
/// use it directly to serve the figures from an HTTP server of your own.
/// </summary>
/// <remarks>
/// All members are thread-safe: concurrent scrapes take turns on a lock held for the reading (a few
/// microseconds) and the copy of the rendered bytes. An exposition is rendered once per reading and format and
/// reused by the scrapes that follow, so neither rendering nor copying allocates. Counters and histograms are
/// running totals since the process (or, for exceptions, the scraper) started, as Prometheus expects.
/// </remarks>
public sealed class PrometheusScraper : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ISampleSource _sampler;
    private readonly TimeSpan _minimumInterval;
    private readonly PrometheusTextFormatter[] _formatters;
    private readonly Rendering[] _renderings = [new(16 * 1024), new(16 * 1024), new(0), new(0)];
    private readonly MemoryStream _gzipOutput = new();
    private RuntimeSnapshot _current = new();
    private RuntimeSnapshot _previous = new();
    private long _sampledAt;
    private long _generation;
    private long _scrapes;
    private long _rejected;
    private SinkLane? _pageLane;
    private bool _started;
    private bool _disposed;

    /// <summary>Initializes a scraper with the default settings and starts what its readings need.</summary>
    public PrometheusScraper()
        : this(new PrometheusScraperOptions())
    {
    }

    /// <summary>Initializes a scraper and starts what its readings need (the first-chance exception counter, a <c>/proc</c> handle).</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the exception names it.</exception>
    public PrometheusScraper(PrometheusScraperOptions options)
        : this(options, TimeProvider.System, null)
    {
        Start();
    }

    internal PrometheusScraper(PrometheusScraperOptions options, TimeProvider timeProvider, ISampleSource? sampler)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _timeProvider = timeProvider;
        _sampler = sampler ?? new RuntimeSampler(timeProvider);
        _minimumInterval = options.MinimumSampleInterval;
        _formatters = [new(options.Naming, PrometheusFormat.Text), new(options.Naming, PrometheusFormat.OpenMetrics)];
    }

    /// <summary>Gets or sets whether the rejection count is exposed: only a server that rejects requests itself keeps one.</summary>
    internal bool ExposesRejections { get; set; }

    /// <summary>Chooses the format to answer a scrape in from its <c>Accept</c> header: OpenMetrics when the client prefers it, else the 0.0.4 text format.</summary>
    /// <param name="accept">The value of the <c>Accept</c> header; <see langword="null"/> or empty when absent.</param>
    /// <returns>The format to pass to <see cref="Scrape"/>.</returns>
    public static PrometheusFormat NegotiateFormat(string? accept) => PrometheusContentNegotiation.SelectFormat(accept);

    /// <summary>Tells whether an <c>Accept-Encoding</c> header allows a gzip-encoded body.</summary>
    /// <param name="acceptEncoding">The value of the header; <see langword="null"/> or empty when absent.</param>
    /// <returns><see langword="true"/> when <c>gzip</c> (or <c>*</c>) is listed with a weight above zero.</returns>
    public static bool AcceptsGzip(string? acceptEncoding) => PrometheusContentNegotiation.AcceptsGzip(acceptEncoding);

    /// <summary>Gets the <c>Content-Type</c> header value of a format, charset included.</summary>
    /// <param name="format">The format.</param>
    /// <returns>For example <c>text/plain; version=0.0.4; charset=utf-8</c>.</returns>
    public static string GetContentType(PrometheusFormat format) => PrometheusContentNegotiation.ContentType(format);

    /// <summary>
    /// Writes a complete exposition to <paramref name="destination"/>: figures read now, or at most
    /// <see cref="PrometheusScraperOptions.MinimumSampleInterval"/> ago.
    /// </summary>
    /// <param name="format">The format, usually from <see cref="NegotiateFormat"/>.</param>
    /// <param name="gzip">Whether to write the body gzip-compressed (send <c>Content-Encoding: gzip</c> with it).</param>
    /// <param name="destination">Where the bytes go, for example an HTTP response's <c>BodyWriter</c>.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    /// <exception cref="ObjectDisposedException">The scraper was disposed.</exception>
    public int Scrape(PrometheusFormat format, bool gzip, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (format is not PrometheusFormat.Text and not PrometheusFormat.OpenMetrics)
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format.");
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _scrapes++;
            long now = _timeProvider.GetTimestamp();
            if (_generation == 0 || _timeProvider.GetElapsedTime(_sampledAt, now) >= _minimumInterval)
            {
                Sample(now);
            }

            ReadOnlySpan<byte> body = gzip ? Compressed(format) : Rendered(format);
            destination.Write(body);
            return body.Length;
        }
    }

    /// <summary>Stops what the readings hold (the exception counter's handler, the <c>/proc</c> handle). Scraping afterwards throws.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            StopSampler();
            _gzipOutput.Dispose();
        }
    }

    /// <summary>Counts a request or connection the server refused, for <c>runtime_profiler_prometheus_rejected_total</c>.</summary>
    internal void CountRejected() => Interlocked.Increment(ref _rejected);

    internal void StartSampler()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_started)
            {
                _sampler.Start();
                _started = true;
            }
        }
    }

    internal void StopSampler()
    {
        lock (_lock)
        {
            if (_started)
            {
                _sampler.Stop();
                _started = false;
            }
        }
    }

    /// <summary>
    /// Makes a live page's lane see every reading: the page's samples, and scrapes' readings folded into its next
    /// window, so the pause extremes a scrape read are not lost to the page.
    /// </summary>
    internal void AttachPage(SinkLane lane)
    {
        lock (_lock)
        {
            _pageLane = lane;
        }
    }

    /// <summary>Sets the page's baseline: its first sample's rates are measured from this reading.</summary>
    internal void PrimePage()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Sample(_timeProvider.GetTimestamp(), forPage: true);
            _pageLane?.Prime(_current);
        }
    }

    /// <summary>Reads a sample for the page and offers it to the page's lane.</summary>
    internal void OfferToPage(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_disposed || _pageLane is null)
            {
                return;
            }

            Sample(_timeProvider.GetTimestamp(), forPage: true);
            _pageLane.TryOffer(_current, cancellationToken);
        }
    }

    private void Start() => StartSampler();

    private void Sample(long now, bool forPage = false)
    {
        (_current, _previous) = (_previous, _current);
        TimeSpan took = _sampler.Read(_current, _previous);
        Span<double> values = _current.Values;
        values[(int)MetricId.ProfilerSampleDuration] = took.TotalSeconds;
        values[(int)MetricId.PrometheusScrapes] = _scrapes;
        values[(int)MetricId.PrometheusRejected] = ExposesRejections ? Interlocked.Read(ref _rejected) : double.NaN;
        if (!forPage)
        {
            // A scrape's reading serves the scrapes that follow within the minimum interval; the page's own readings
            // do not, so every scrape's figures (its own count among them) are as fresh as they always were.
            _sampledAt = now;
            _generation++;
            _pageLane?.Accumulate(_current);
        }
    }

    private ReadOnlySpan<byte> Rendered(PrometheusFormat format)
    {
        Rendering rendering = _renderings[(int)format];
        if (rendering.Generation != _generation)
        {
            PrometheusTextFormatter formatter = _formatters[(int)format];
            int written;
            while (!formatter.TryFormat(_current, rendering.Buffer, out written))
            {
                rendering.Buffer = new byte[rendering.Buffer.Length * 2];
            }

            rendering.Length = written;
            rendering.Generation = _generation;
        }

        return rendering.Buffer.AsSpan(0, rendering.Length);
    }

    private ReadOnlySpan<byte> Compressed(PrometheusFormat format)
    {
        Rendering rendering = _renderings[2 + (int)format];
        if (rendering.Generation != _generation)
        {
            ReadOnlySpan<byte> plain = Rendered(format);
            _gzipOutput.SetLength(0);
            using (var gzip = new GZipStream(_gzipOutput, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(plain);
            }

            int length = (int)_gzipOutput.Length;
            if (rendering.Buffer.Length < length)
            {
                rendering.Buffer = new byte[Math.Max(length, rendering.Buffer.Length * 2)];
            }

            _gzipOutput.GetBuffer().AsSpan(0, length).CopyTo(rendering.Buffer);
            rendering.Length = length;
            rendering.Generation = _generation;
        }

        return rendering.Buffer.AsSpan(0, rendering.Length);
    }

    /// <summary>The bytes of one format (plain or gzip) as rendered from one reading.</summary>
    private sealed class Rendering
    {
        public Rendering(int capacity) => Buffer = new byte[capacity];

        public byte[] Buffer { get; set; }

        public int Length { get; set; }

        public long Generation { get; set; } = -1;
    }
}
