using System.Net;
using System.Net.Sockets;
using System.Text;
using RuntimeProfiling.Diagnostics;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// A small HTTP server that answers Prometheus scrapes with fresh runtime figures, for console apps and
/// workers that have no web server: <c>GET</c> and <c>HEAD</c> on <c>http://127.0.0.1:9464/metrics</c> by default,
/// and the live page of the same figures on <c>http://127.0.0.1:9464/</c> (see <see cref="LivePage"/>); 404 on other
/// paths, 405 for other methods. No ASP.NET Core dependency.
/// </summary>
/// <remarks>
/// <para>
/// Each scrape samples the runtime then (at most once per <see cref="PrometheusEndpointOptions.MinimumSampleInterval"/>)
/// and is answered in OpenMetrics or the 0.0.4 text format, as its <c>Accept</c> header prefers, gzip-compressed
/// when asked. It works with or without a <c>RuntimeProfiler</c> running: the endpoint reads the runtime itself.
/// </para>
/// <para>
/// The server is built for a host that comes first: at most <see cref="PrometheusEndpointOptions.MaxConnections"/>
/// connections (more wait in the accept queue, and idle kept-alive ones make room for them), bounded request heads, deadlines on every read and write, no thread
/// of its own (all I/O is asynchronous), buffers reused across scrapes, and no exception ever reaching the host.
/// All members are thread-safe. <see cref="Start"/> after <see cref="StopAsync"/> listens again; after
/// <see cref="Dispose"/> it cannot.
/// </para>
/// </remarks>
public sealed class PrometheusEndpoint : IDisposable, IAsyncDisposable
{
    private const int Backlog = 64;

    private readonly Lock _gate = new();
    private static readonly TimeSpan s_idleGrace = TimeSpan.FromSeconds(1);
    private readonly Stack<HttpConnection> _idle = new();
    private bool _hasWaitingConnections;
    private readonly HashSet<HttpConnection> _active = [];
    private Socket? _listener;
    private CancellationTokenSource? _stopping;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _stopped = Task.CompletedTask;
    private TaskCompletionSource? _slotFreed;
    private volatile bool _isStopping;
    private bool _disposed;

    /// <summary>Initializes an endpoint with the default settings: 127.0.0.1, port 9464, path <c>/metrics</c>.</summary>
    public PrometheusEndpoint()
        : this(new PrometheusEndpointOptions())
    {
    }

    /// <summary>Initializes an endpoint; nothing listens until <see cref="Start"/>.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or one of its required settings is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the exception names it.</exception>
    public PrometheusEndpoint(PrometheusEndpointOptions options)
        : this(options, TimeProvider.System)
    {
    }

    internal PrometheusEndpoint(PrometheusEndpointOptions options, TimeProvider timeProvider)
        : this(options, timeProvider, null)
    {
    }

    /// <summary>Initializes an endpoint that serves the figures of <paramref name="source"/> rather than of this process (the CLI's <c>attach</c>), described by <paramref name="process"/>.</summary>
    internal PrometheusEndpoint(PrometheusEndpointOptions options, TimeProvider timeProvider, ISampleSource? source, ProcessDescription? process = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        Options = new PrometheusEndpointOptions
        {
            Address = options.Address,
            Port = options.Port,
            Path = options.Path,
            Naming = options.Naming,
            MinimumSampleInterval = options.MinimumSampleInterval,
            EnableGzip = options.EnableGzip,
            MaxConnections = options.MaxConnections,
            MaxRequestHeaderBytes = options.MaxRequestHeaderBytes,
            RequestTimeout = options.RequestTimeout,
            KeepAliveTimeout = options.KeepAliveTimeout,
            EnablePage = options.EnablePage,
            Page = options.Page.Clone(),
        };
        TimeProvider = timeProvider;
        PathBytes = Encoding.ASCII.GetBytes(Options.Path);
        Scraper = new PrometheusScraper(Options.ToScraperOptions(), timeProvider, source) { ExposesRejections = true };
        if (Options.EnablePage)
        {
            // A page of another process (attach) moves with the samples delivered to the endpoint, not on a timer.
            var delivered = source as DeliveredSampleSource;
            int streams = Math.Min(Options.Page.MaxStreams, Options.MaxConnections - 1);
            Page = new LivePage(Options.Page, Scraper, ownsScraper: false, process ?? ProcessDescription.Current(), samplesOnTimer: delivered is null, streams, timeProvider);
            if (delivered is not null)
            {
                delivered.Delivered = Page.Sample;
            }
        }
    }

    /// <summary>Gets the address and port the endpoint listens on (the actual port when <see cref="PrometheusEndpointOptions.Port"/> is 0), or <see langword="null"/> when it is not running.</summary>
    public IPEndPoint? LocalEndPoint
    {
        get
        {
            lock (_gate)
            {
                return _listener?.LocalEndPoint as IPEndPoint;
            }
        }
    }

    /// <summary>Gets whether the endpoint is listening.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _listener is not null;
            }
        }
    }

    internal PrometheusEndpointOptions Options { get; }

    internal TimeProvider TimeProvider { get; }

    internal PrometheusScraper Scraper { get; }

    internal byte[] PathBytes { get; }

    /// <summary>Gets the live page, or <see langword="null"/> when <see cref="PrometheusEndpointOptions.EnablePage"/> is off.</summary>
    internal LivePage? Page { get; }

    internal bool IsStopping => _isStopping;

    /// <summary>Gets whether accepted connections wait for a slot: responses then close their connections to make room.</summary>
    internal bool HasWaitingConnections => Volatile.Read(ref _hasWaitingConnections);

    /// <summary>Starts listening. Does nothing when already listening.</summary>
    /// <exception cref="IOException">The address and port cannot be bound, for example because another process uses the port; the message names them.</exception>
    /// <exception cref="ObjectDisposedException">The endpoint was disposed.</exception>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_listener is not null)
            {
                return;
            }

            _stopped.GetAwaiter().GetResult();
            Socket listener = Bind(Options.Address, Options.Port);
            Scraper.StartSampler();
            Page?.Start();
            _listener = listener;
            _isStopping = false;
            _stopping = new CancellationTokenSource();
            _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
            RuntimeProfilerEventSource.Log.PrometheusEndpointStarted(listener.LocalEndPoint?.ToString() ?? string.Empty);
        }
    }

    /// <summary>Stops listening and closes every connection, including scrapes in progress. Calling it again, or when not running, does nothing.</summary>
    /// <returns>A task that completes when every connection is closed; it never faults.</returns>
    public Task StopAsync()
    {
        lock (_gate)
        {
            if (_listener is null)
            {
                return _stopped;
            }

            _isStopping = true;
            Socket listener = _listener;
            string endPoint = listener.LocalEndPoint?.ToString() ?? string.Empty;
            _listener = null;
            listener.Dispose();
            Task[] connections = [.. _active.Select(c => c.Completion)];
            foreach (HttpConnection connection in _active)
            {
                connection.Abort();
            }

            _stopped = FinishStopAsync(_acceptLoop, connections, _stopping!, endPoint);
            _stopping = null;
            return _stopped;
        }
    }

    /// <summary>Stops as <see cref="StopAsync"/> does, waiting synchronously, and releases everything the endpoint holds.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Stops as <see cref="StopAsync"/> does and releases everything the endpoint holds.</summary>
    /// <returns>A task that completes when the endpoint has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        await StopAsync().ConfigureAwait(false);
        if (Page is not null)
        {
            await Page.DisposeAsync().ConfigureAwait(false);
        }

        Scraper.Dispose();
        lock (_gate)
        {
            while (_idle.TryPop(out HttpConnection? connection))
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Returns a connection slot once its socket is closed.</summary>
    internal void Release(HttpConnection connection)
    {
        lock (_gate)
        {
            _active.Remove(connection);
            _idle.Push(connection);
            _slotFreed?.TrySetResult();
            _slotFreed = null;
        }
    }

    private static Socket Bind(IPAddress address, int port)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(Backlog);
            return listener;
        }
        catch (SocketException e)
        {
            listener.Dispose();
            string where = new IPEndPoint(address, port).ToString();
            throw e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => new IOException($"Cannot serve Prometheus metrics on {where}: port {port} is already in use. Choose another port, or stop what holds it.", e),
                SocketError.AddressNotAvailable => new IOException($"Cannot serve Prometheus metrics on {where}: {address} is not an address of this machine.", e),
                SocketError.AccessDenied => new IOException($"Cannot serve Prometheus metrics on {where}: permission denied for port {port}.", e),
                _ => new IOException($"Cannot serve Prometheus metrics on {where}: {e.Message}", e),
            };
        }
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors and the like: wait a little instead of spinning on the same error.
                RuntimeProfilerEventSource.Log.PrometheusAcceptFailed(e.SocketErrorCode.ToString());
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            // At the connection limit, responses ask their clients to close, and kept-alive connections idle for
            // a while make room (their clients reconnect when they need to); the others finish or time out.
            // Meanwhile further connections wait in the kernel's accept queue rather than being refused.
            HttpConnection? connection;
            while ((connection = TryAcquire(out Task slotFreed)) is null)
            {
                try
                {
                    await slotFreed.WaitAsync(s_idleGrace, TimeProvider, stopping).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Connections that were only just idle may be idle long enough now.
                }
                catch (OperationCanceledException)
                {
                    socket.Dispose();
                    return;
                }
            }

            connection.Start(socket);
        }
    }

    private HttpConnection? TryAcquire(out Task slotFreed)
    {
        lock (_gate)
        {
            slotFreed = Task.CompletedTask;
            if (_active.Count >= Options.MaxConnections)
            {
                _slotFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                slotFreed = _slotFreed.Task;
                Volatile.Write(ref _hasWaitingConnections, true);
                foreach (HttpConnection active in _active)
                {
                    active.AbortIfIdle(s_idleGrace);
                }

                return null;
            }

            HttpConnection connection;
            if (_idle.Count > 0)
            {
                connection = _idle.Pop();
            }
            else
            {
                connection = new HttpConnection(this);
            }

            _active.Add(connection);
            Volatile.Write(ref _hasWaitingConnections, false);
            return connection;
        }
    }

    private async Task FinishStopAsync(Task acceptLoop, Task[] connections, CancellationTokenSource stopping, string endPoint)
    {
        // The page first: its streams end when it stops, and they hold connections.
        Task page = Page?.StopAsync() ?? Task.CompletedTask;
        try
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await acceptLoop.ConfigureAwait(false);
            await page.ConfigureAwait(false);
            await Task.WhenAll(connections).ConfigureAwait(false);

            // A connection accepted while the stop began is aborted here, once the accept loop is done.
            Task[] late;
            lock (_gate)
            {
                foreach (HttpConnection connection in _active)
                {
                    connection.Abort();
                }

                late = [.. _active.Select(c => c.Completion)];
            }

            await Task.WhenAll(late).ConfigureAwait(false);
        }
        finally
        {
            stopping.Dispose();
            Scraper.StopSampler();
            RuntimeProfilerEventSource.Log.PrometheusEndpointStopped(endPoint);
        }
    }
}
