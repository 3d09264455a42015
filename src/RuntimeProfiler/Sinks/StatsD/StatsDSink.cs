using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Sends every figure of each sample to a StatsD server (Etsy's daemon, a Datadog agent, Telegraf,
/// statsd_exporter, ...) over UDP or a Unix datagram socket, in the dialect of your choice: gauges as <c>|g</c>,
/// counters as the change since the previous sample (<c>|c</c>), and GC pauses as timers or distributions.
/// </summary>
/// <remarks>
/// <para>
/// Lines are packed into as few datagrams as fit <see cref="StatsDSinkOptions.MaxDatagramBytes"/>. Sending never
/// blocks and never throws into the application: a server that is down, a closed port, a missing or replaced
/// socket file, a name that does not resolve, or a full buffer only drops lines, and every dropped line is counted
/// in the profiler's own figures (<c>runtime_profiler.statsd.dropped</c>, by reason). Sending resumes by itself
/// when the server is back; the endpoint is looked up again every <see cref="StatsDSinkOptions.EndpointRefreshInterval"/>.
/// </para>
/// <para>
/// After the first sample, formatting and sending a sample allocates nothing. The profiler calls
/// <see cref="WriteAsync"/> from one thread at a time; dispose the sink after the profiler has stopped.
/// See <c>docs/statsd.md</c> for the dialects, names, sanitizing rules and drop reasons.
/// </para>
/// </remarks>
public sealed class StatsDSink : IRuntimeMetricsSink, INonBlockingSink, IDisposable, IAsyncDisposable, ISinkHealthReporter
{
    private readonly IStatsDTransport _transport;
    private readonly StatsDSampleWriter _writer;
    private readonly StatsDHealth _health;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Initializes a sink that sends plain StatsD to UDP 127.0.0.1:8125.</summary>
    public StatsDSink()
        : this(new StatsDSinkOptions())
    {
    }

    /// <summary>Initializes a sink. Nothing is sent and no name is resolved until the first sample.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the exception names it.</exception>
    public StatsDSink(StatsDSinkOptions options)
        : this(options, TimeProvider.System, null)
    {
    }

    internal StatsDSink(StatsDSinkOptions options, TimeProvider timeProvider, Func<StatsDEndpoint, IStatsDTransport>? transportFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        StatsDEndpoint endpoint = options.Validate();
        Endpoint = endpoint.ToString();
        Dialect = options.Dialect;
        _health = new StatsDHealth(Endpoint);
        var formatter = new StatsDFormatter(options.Dialect, options.Naming, options.Prefix, options.GlobalTags);

#pragma warning disable CA2000 // Owned by the sink and disposed with it; what follows only allocates buffers.
        _transport = transportFactory is null ? CreateTransport(endpoint, options.EndpointRefreshInterval, timeProvider) : transportFactory(endpoint);
#pragma warning restore CA2000
        var packer = new DatagramPacker(options.DatagramBytesFor(endpoint), _transport, _health);
        _writer = new StatsDSampleWriter(formatter, packer, _health);
    }

    /// <summary>Gets where the sink sends, as a URL (<c>udp://127.0.0.1:8125</c> or <c>unix:///path</c>).</summary>
    public string Endpoint { get; }

    /// <summary>Gets the dialect the sink writes.</summary>
    public StatsDDialect Dialect { get; }

    internal StatsDHealth Health => _health;

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The sink was disposed.</exception>
    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        ValueTask ready = _transport.PrepareAsync(cancellationToken);
        if (!ready.IsCompletedSuccessfully)
        {
            return WriteWhenReadyAsync(ready, snapshot);
        }

        Write(snapshot);
        return default;
    }

    /// <summary>Closes the socket. Safe to call more than once.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _transport.Dispose();
        }
    }

    /// <summary>Closes the socket. Safe to call more than once.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    /// <inheritdoc />
    public override string ToString() => $"StatsDSink({Dialect}, {Endpoint})";

    void ISinkHealthReporter.ResetHealth(Span<double> values) => StatsDHealth.Reset(values);

    void ISinkHealthReporter.WriteHealth(Span<double> values) => _health.AddTo(values);

    private static IStatsDTransport CreateTransport(StatsDEndpoint endpoint, TimeSpan refresh, TimeProvider timeProvider) => endpoint.IsUnix
        ? new UnixSocketTransport(endpoint.UnixPath!, refresh, timeProvider)
        : new UdpTransport(endpoint.Host!, endpoint.Port, refresh, timeProvider);

    private async ValueTask WriteWhenReadyAsync(ValueTask ready, RuntimeSnapshot snapshot)
    {
        await ready.ConfigureAwait(false);
        Write(snapshot);
    }

    private void Write(RuntimeSnapshot snapshot)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer.Write(snapshot);
        }
    }
}
