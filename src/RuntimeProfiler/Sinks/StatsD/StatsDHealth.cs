using RuntimeProfiling.Diagnostics;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// A sink's running counts: datagrams sent and lines dropped by reason. Written by the sink's thread, read by the
/// sampling thread into the catalog figures <c>runtime_profiler.statsd.*</c>.
/// </summary>
internal sealed class StatsDHealth
{
    private readonly string _endpoint;
    private StatsDSendResult _last = StatsDSendResult.Sent;
    private long _datagrams;
    private long _tooLong;
    private long _notFinite;
    private long _unreachable;
    private long _bufferFull;
    private long _unresolved;
    private long _socketError;

    public StatsDHealth(string endpoint) => _endpoint = endpoint;

    public long Datagrams => Interlocked.Read(ref _datagrams);

    public long TooLong => Interlocked.Read(ref _tooLong);

    public long NotFinite => Interlocked.Read(ref _notFinite);

    public long Unreachable => Interlocked.Read(ref _unreachable);

    public long BufferFull => Interlocked.Read(ref _bufferFull);

    public long Unresolved => Interlocked.Read(ref _unresolved);

    public long SocketError => Interlocked.Read(ref _socketError);

    /// <summary>Gets the lines dropped for any reason.</summary>
    public long Dropped => TooLong + NotFinite + Unreachable + BufferFull + Unresolved + SocketError;

    public void DropTooLong(int lines) => Interlocked.Add(ref _tooLong, lines);

    public void DropNotFinite() => Interlocked.Increment(ref _notFinite);

    /// <summary>Counts a datagram's fate; the first failure after a success, and the first success after failures, are reported on the event source.</summary>
    public void Record(StatsDSendResult result, int lines)
    {
        if (result != _last)
        {
            if (result == StatsDSendResult.Sent)
            {
                RuntimeProfilerEventSource.Log.StatsDSendResumed(_endpoint);
            }
            else
            {
                RuntimeProfilerEventSource.Log.StatsDSendFailing(_endpoint, ReasonOf(result));
            }

            _last = result;
        }

        switch (result)
        {
            case StatsDSendResult.Sent:
                Interlocked.Increment(ref _datagrams);
                break;
            case StatsDSendResult.Unreachable:
                Interlocked.Add(ref _unreachable, lines);
                break;
            case StatsDSendResult.BufferFull:
                Interlocked.Add(ref _bufferFull, lines);
                break;
            case StatsDSendResult.Unresolved:
                Interlocked.Add(ref _unresolved, lines);
                break;
            default:
                Interlocked.Add(ref _socketError, lines);
                break;
        }
    }

    public static void Reset(Span<double> values) => values[(int)MetricId.StatsDDatagramsSent..((int)MetricId.StatsDDroppedSocketError + 1)].Clear();

    /// <summary>Adds these counts to the figures, which <see cref="Reset"/> set to 0 for this sample.</summary>
    public void AddTo(Span<double> values)
    {
        values[(int)MetricId.StatsDDatagramsSent] += Datagrams;
        values[(int)MetricId.StatsDDroppedTooLong] += TooLong;
        values[(int)MetricId.StatsDDroppedNotFinite] += NotFinite;
        values[(int)MetricId.StatsDDroppedUnreachable] += Unreachable;
        values[(int)MetricId.StatsDDroppedBufferFull] += BufferFull;
        values[(int)MetricId.StatsDDroppedUnresolved] += Unresolved;
        values[(int)MetricId.StatsDDroppedSocketError] += SocketError;
    }

    /// <summary>Gets the value of the <c>reason</c> attribute a send result is counted under.</summary>
    public static string ReasonOf(StatsDSendResult result) => result switch
    {
        StatsDSendResult.Sent => "sent",
        StatsDSendResult.Unreachable => "unreachable",
        StatsDSendResult.BufferFull => "buffer_full",
        StatsDSendResult.Unresolved => "unresolved",
        _ => "socket_error",
    };
}
