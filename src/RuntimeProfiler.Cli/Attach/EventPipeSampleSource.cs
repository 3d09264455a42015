using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Cli.Attach;

/// <summary>
/// Reads another .NET process's <c>System.Runtime</c> meter over EventPipe and serves it to a profiler as a
/// sample source. The target publishes every interval; a publication becomes visible to <see cref="Read"/>
/// whole, when it ends, so a sample never mixes two publications. Figures the meter lacks stay absent (NaN).
/// </summary>
internal sealed partial class EventPipeSampleSource : ISampleSource
{
    private const int RuntimeFigures = (int)MetricId.ProfilerSampleDuration;

    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly double[] _pending = new double[RuntimeFigures];
    private readonly double[] _published = new double[RuntimeFigures];
    private readonly Dictionary<string, double> _exceptionsByType = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Instrument, string Unit, string Tags), MetricSeries?> _mapped = [];
    private readonly string _sessionId = Guid.NewGuid().ToString("N");
    private readonly TaskCompletionSource<int> _enumerated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstPublication = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EventPipeSession? _session;
    private EventPipeEventSource? _events;
    private Thread? _thread;
    private int _instruments;
    private double _lastPauseTime = double.NaN;
    private DateTime _lastPauseAt;
    private double _lastCollections = double.NaN;
    private double _lastCollectionTime = double.NaN;
    private int _disposed;

    private EventPipeSampleSource(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        Array.Fill(_pending, double.NaN);
        Array.Fill(_published, double.NaN);
    }

    /// <summary>Gets a task that completes, with the number of <c>System.Runtime</c> instruments, once the target has listed them.</summary>
    public Task<int> InstrumentsEnumerated => _enumerated.Task;

    /// <summary>Gets a task that completes when the target's first publication has arrived.</summary>
    public Task FirstPublication => _firstPublication.Task;

    /// <summary>Gets a task that completes when reading ends: with <see langword="null"/> when the target stopped sending (it exited), otherwise why it failed.</summary>
    public Task<string?> Ended => _ended.Task;

    /// <summary>Opens an EventPipe session in the target and starts reading it on a thread of its own.</summary>
    /// <exception cref="ServerNotAvailableException">The target does not exist, is not .NET, or refuses diagnostics.</exception>
    /// <exception cref="UnauthorizedAccessException">The target's diagnostic socket belongs to another user.</exception>
    public static EventPipeSampleSource Attach(int processId, TimeSpan interval, TimeProvider timeProvider)
    {
        var source = new EventPipeSampleSource(timeProvider);
        try
        {
            var client = new DiagnosticsClient(processId);
            source._session = client.StartEventPipeSession([SystemRuntimeMeter.Provider(source._sessionId, interval)], requestRundown: false);
            source._events = new EventPipeEventSource(source._session.EventStream);
            source._events.Dynamic.All += source.OnEvent;
            source._thread = new Thread(static state => ((EventPipeSampleSource)state!).ProcessEvents())
            {
                IsBackground = true,
                Name = "runtime-profiler attach",
            };
            source._thread.Start(source);
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Start()
    {
        // The session runs from Attach to Dispose: a profiler stop and restart need nothing from the target.
    }

    /// <inheritdoc />
    public void Stop()
    {
    }

    /// <inheritdoc />
    public TimeSpan Read(RuntimeSnapshot target, RuntimeSnapshot? previous)
    {
        long started = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            _published.CopyTo(target.Values);
        }

        target.Timestamp = _timeProvider.GetUtcNow();
        target.MonotonicTimestamp = started;
        return _timeProvider.GetElapsedTime(started);
    }

    /// <summary>Ends the session in the target (when it still runs) and the reading thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _session?.Stop();
        }
        catch (Exception e) when (e is ServerNotAvailableException or ServerErrorException or IOException or TimeoutException or ObjectDisposedException)
        {
            // The target has exited: its side of the session is gone with it.
        }

        _thread?.Join(TimeSpan.FromSeconds(5));
        _events?.Dispose();
        _session?.Dispose();
        _ended.TrySetResult(null);
    }

    private void ProcessEvents()
    {
        try
        {
            _events!.Process();
            _ended.TrySetResult(null);
        }
#pragma warning disable CA1031 // Whatever breaks the stream ends the attach with a message, never with a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _ended.TrySetResult(Volatile.Read(ref _disposed) != 0 ? null : $"reading the target's events failed ({e.GetType().Name}: {e.Message})");
        }
        finally
        {
            _enumerated.TrySetResult(_instruments);
        }
    }

    private static double ParseValue(object? payload) =>
        payload is string text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN;
}
