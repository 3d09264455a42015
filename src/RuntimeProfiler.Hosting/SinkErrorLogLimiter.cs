using Microsoft.Extensions.Logging;
using RuntimeProfiling.Collection;

namespace RuntimeProfiling.Hosting;

/// <summary>
/// Logs a sink's failures at most once per interval per sink: a sink that fails on every tick writes one
/// entry a minute (by default), carrying the count of failures it stood for, instead of one per tick.
/// </summary>
internal sealed class SinkErrorLogLimiter(ILogger logger, TimeProvider timeProvider, TimeSpan interval, Func<IRuntimeMetricsSink, string> nameOf)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IRuntimeMetricsSink, (long LastLogged, long Suppressed)> _state = new(ReferenceEqualityComparer.Instance);

    public void Report(IRuntimeMetricsSink sink, Exception exception)
    {
        long now = timeProvider.GetTimestamp();
        long suppressed;
        lock (_lock)
        {
            if (_state.TryGetValue(sink, out (long LastLogged, long Suppressed) state) && timeProvider.GetElapsedTime(state.LastLogged, now) < interval)
            {
                _state[sink] = (state.LastLogged, state.Suppressed + 1);
                return;
            }

            suppressed = state.Suppressed;
            _state[sink] = (now, 0);
        }

        Log.SinkFailed(logger, nameOf(sink), suppressed, exception);
    }
}
