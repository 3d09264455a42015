using RuntimeProfiling.Collection;
using RuntimeProfiling.Diagnostics;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>
/// The live page of the runtime figures: charts that move with every sample, fed by a stream of Server-Sent
/// Events, with the last minutes kept in memory for a page opened late. <see cref="PrometheusEndpoint"/> serves
/// one at <c>/</c>; use this class to serve it from an HTTP server of your own (the ASP.NET Core mapping
/// <c>MapRuntimeProfilerPage</c> does): its files (<see cref="GetFile"/>), the stream (<see cref="OpenStream"/>)
/// and the polling fallback (<see cref="WriteUpdates(System.Buffers.IBufferWriter{byte}, string?)"/>).
/// </summary>
/// <remarks>
/// <para>
/// The page samples this process every <see cref="LivePageOptions.Interval"/> on a timer (no thread of its own),
/// encodes each sample once into a ring allocated at construction, and wakes the streams; a stream copies what it
/// has not sent yet into a buffer of its own, so a slow viewer never holds up sampling, and nothing is allocated
/// per sample or per viewer. The page shows only figures the Prometheus exposition carries, plus the process's
/// name, id, runtime, GC mode and uptime.
/// </para>
/// <para>All members are thread-safe. <see cref="Start"/> after <see cref="StopAsync"/> samples again and keeps the history.</para>
/// </remarks>
public sealed partial class LivePage : IDisposable, IAsyncDisposable
{
    /// <summary>The <c>Content-Security-Policy</c> every file of the page must be served with: nothing but the page's own files, no inline script or style.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly TimeSpan s_heartbeat = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly PrometheusScraper _scraper;
    private readonly bool _ownsScraper;
    private readonly bool _samplesOnTimer;
    private readonly SinkLane _lane;
    private readonly byte[] _frame = new byte[LiveFrameEncoder.MaxFrameBytes];
    private readonly byte[] _id;
    private CancellationTokenSource? _running;
    private ITimer? _sampling;
    private ITimer? _heartbeat;
    private bool _primed;
    private bool _disposed;

    /// <summary>Initializes a page of this process with the default settings: a sample every second, 15 minutes of history.</summary>
    public LivePage()
        : this(new LivePageOptions())
    {
    }

    /// <summary>Initializes a page of this process; it samples once started.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the exception names it.</exception>
    public LivePage(LivePageOptions options)
        : this(Validated(options), new PrometheusScraper(new PrometheusScraperOptions(), TimeProvider.System, null), ownsScraper: true, ProcessDescription.Current(), samplesOnTimer: true, options.MaxStreams, TimeProvider.System)
    {
    }

    /// <summary>
    /// Initializes a page that reads through a scraper (and its sample source), so the pause extremes scrapes read reach the page too. It samples on its own
    /// timer, or, when <c>samplesOnTimer</c> is false, whenever <see cref="Sample"/> is called (a sample arrived).
    /// </summary>
    internal LivePage(LivePageOptions options, PrometheusScraper scraper, bool ownsScraper, ProcessDescription process, bool samplesOnTimer, int maxStreams, TimeProvider timeProvider)
    {
        Options = options.Clone();
        _scraper = scraper;
        _ownsScraper = ownsScraper;
        _samplesOnTimer = samplesOnTimer;
        _timeProvider = timeProvider;
        Process = process;
        Instance = System.Text.Encoding.ASCII.GetBytes(System.Security.Cryptography.RandomNumberGenerator.GetHexString(16, lowercase: true));
        History = new LiveHistory(Options.HistoryCapacity, LiveFrameEncoder.MaxFrameBytes, maxStreams);
        Hello = BuildHello();
        _id = [.. Instance, (byte)'-', .. new byte[20]];
        _lane = new SinkLane(new FrameSink(this), static (_, e, _) => RuntimeProfilerEventSource.Log.PageFailed(e));
        scraper.AttachPage(_lane);
    }

    /// <summary>Gets whether the page is sampling.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _running is not null;
            }
        }
    }

    internal LivePageOptions Options { get; }

    internal ProcessDescription Process { get; }

    internal LiveHistory History { get; }

    /// <summary>Gets the hex id of this page instance: it starts every event id, so a page can tell a restarted process from a reconnection.</summary>
    internal byte[] Instance { get; }

    /// <summary>Gets the first event of every stream: the reconnection delay, the process, the interval and the columns of the frames.</summary>
    internal byte[] Hello { get; }

    /// <summary>Gets whether streams should go on: the page runs and is not disposed.</summary>
    internal bool IsStreaming => Volatile.Read(ref _running) is not null;

    /// <summary>Starts sampling. Does nothing when already sampling.</summary>
    /// <exception cref="ObjectDisposedException">The page was disposed.</exception>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_running is not null)
            {
                return;
            }

            _scraper.StartSampler();
            if (!_primed)
            {
                // The baseline of the first sample's rates.
                _scraper.PrimePage();
                _primed = true;
            }

            _running = new CancellationTokenSource();
            if (_samplesOnTimer)
            {
                _sampling = _timeProvider.CreateTimer(static state => ((LivePage)state!).Sample(), this, Options.Interval, Options.Interval);
            }

            _heartbeat = _timeProvider.CreateTimer(static state => ((LivePage)state!).History.WakeAll(), this, s_heartbeat, s_heartbeat);
        }
    }

    /// <summary>Stops sampling and ends every stream; the history is kept. Calling it again, or when not running, does nothing.</summary>
    /// <returns>A task that completes when the last sample is encoded; it never faults.</returns>
    public async Task StopAsync()
    {
        CancellationTokenSource? running;
        lock (_gate)
        {
            running = _running;
            _running = null;
            _sampling?.Dispose();
            _heartbeat?.Dispose();
            _sampling = null;
            _heartbeat = null;
        }

        if (running is null)
        {
            return;
        }

        await running.CancelAsync().ConfigureAwait(false);
        History.WakeAll();
        await _lane.WhenIdleAsync().ConfigureAwait(false);
        _lane.StopDelivery();
        running.Dispose();
        if (_ownsScraper)
        {
            _scraper.StopSampler();
        }
    }

    /// <summary>Stops as <see cref="StopAsync"/> does, waiting synchronously, and releases what the page holds.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Stops as <see cref="StopAsync"/> does and releases what the page holds.</summary>
    /// <returns>A task that completes when the page has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        await StopAsync().ConfigureAwait(false);

        // A profiler's sample may have reached the page's lane after it stopped: its thread ends here.
        _lane.StopDelivery();
        if (_ownsScraper)
        {
            _scraper.Dispose();
        }
    }

    /// <summary>Encodes a sample, numbered after the latest, into the history; one writer at a time (the page's lane).</summary>
    internal void Encode(RuntimeSnapshot snapshot)
    {
        int prefix = Instance.Length + 1;
        (History.Latest + 1).TryFormat(_id.AsSpan(prefix), out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
        int length = LiveFrameEncoder.Write(snapshot, _id.AsSpan(0, prefix + digits), _frame);
        History.Publish(_frame.AsSpan(0, length));
    }

    /// <summary>Completes when the page is not encoding a sample, for tests that wait for a frame.</summary>
    internal Task WhenEncodedAsync() => _lane.WhenIdleAsync();

    /// <summary>Gets whether the page's lane has a delivery thread, for tests.</summary>
    internal bool HasDeliveryThread => _lane.HasDeliveryThread;

    /// <summary>Gets whether a sample is being encoded (the benchmarks spin on it: waiting on a task would allocate).</summary>
    internal bool IsEncoding => _lane.IsBusy;

    /// <summary>Reads a sample and hands it to the page's lane, which encodes it on its delivery thread. Never throws.</summary>
    internal void Sample()
    {
        // Under the gate, so a stop comes wholly before or after an offer: an offer that read the page as running
        // and reached the lane after the stop had ended its delivery thread would start one that no stop ends.
        lock (_gate)
        {
            if (_running is null)
            {
                return;
            }

            try
            {
                _scraper.OfferToPage(_running.Token);
            }
#pragma warning disable CA1031 // A timer callback of the host's process: an exception escaping it would end the host.
            catch (Exception e)
#pragma warning restore CA1031
            {
                RuntimeProfilerEventSource.Log.PageFailed(e);
            }
        }
    }

    private static LivePageOptions Validated(LivePageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    /// <summary>Hands each sample the lane delivers to <see cref="Encode"/>.</summary>
    private sealed class FrameSink(LivePage page) : IRuntimeMetricsSink
    {
        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
        {
            page.Encode(snapshot);
            return ValueTask.CompletedTask;
        }
    }
}
