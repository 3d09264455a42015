using System.Diagnostics.Tracing;

namespace RuntimeProfiling.Diagnostics;

/// <summary>
/// The profiler's own diagnostics, as the event source <c>RuntimeProfiler</c>: sink failures, skipped
/// ticks and lifecycle. Read it with <c>dotnet-trace</c> or an <see cref="EventListener"/>.
/// </summary>
[EventSource(Name = "RuntimeProfiler")]
internal sealed class RuntimeProfilerEventSource : EventSource
{
    public static readonly RuntimeProfilerEventSource Log = new();

    private RuntimeProfilerEventSource()
    {
    }

    [NonEvent]
    public void SinkFailed(object sink, Exception exception)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            SinkFailed(sink.GetType().FullName ?? sink.GetType().Name, exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
        }
    }

    [NonEvent]
    public void SampleFailed(Exception exception)
    {
        if (IsEnabled(EventLevel.Error, EventKeywords.All))
        {
            SampleFailed(exception.GetType().FullName ?? exception.GetType().Name, exception.ToString());
        }
    }

    [NonEvent]
    public void CallbackFailed(Exception exception)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            CallbackFailed(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
        }
    }

    [NonEvent]
    public void SinkStopTimedOut(object sink)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            SinkStopTimedOut(sink.GetType().FullName ?? sink.GetType().Name);
        }
    }

    [NonEvent]
    public void PrometheusConnectionFailed(Exception exception)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            PrometheusConnectionFailed(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
        }
    }

    [NonEvent]
    public void StatsDConnectFailed(object endpoint, System.Net.Sockets.SocketError error)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            StatsDConnectFailed(endpoint.ToString() ?? string.Empty, error.ToString());
        }
    }

    [NonEvent]
    public void CaptureFailed(Exception exception)
    {
        if (IsEnabled(EventLevel.Error, EventKeywords.All))
        {
            CaptureFailed(exception.GetType().FullName ?? exception.GetType().Name, exception.ToString());
        }
    }

    [Event(1, Level = EventLevel.Warning, Message = "Sink {0} failed: {1}: {2}")]
    public void SinkFailed(string sink, string exceptionType, string message) => WriteEvent(1, sink, exceptionType, message);

    [Event(2, Level = EventLevel.Warning, Message = "{0} tick(s) skipped: a sample overran the interval or the sampling thread was delayed")]
    public void TicksSkipped(long count) => WriteEvent(2, count);

    [Event(3, Level = EventLevel.Error, Message = "Reading a sample failed: {0}: {1}")]
    public void SampleFailed(string exceptionType, string details) => WriteEvent(3, exceptionType, details);

    [Event(4, Level = EventLevel.Informational, Message = "Profiler started, interval {0} s")]
    public void Started(double intervalSeconds) => WriteEvent(4, intervalSeconds);

    [Event(5, Level = EventLevel.Informational, Message = "Profiler stopped")]
    public void Stopped() => WriteEvent(5);

    [Event(6, Level = EventLevel.Warning, Message = "Sink {0} did not finish within the stop timeout; it was cancelled")]
    public void SinkStopTimedOut(string sink) => WriteEvent(6, sink);

    [Event(7, Level = EventLevel.Warning, Message = "The OnSinkError callback threw {0}: {1}")]
    public void CallbackFailed(string exceptionType, string message) => WriteEvent(7, exceptionType, message);

    [Event(8, Level = EventLevel.Error, Message = "Capturing a GC pause failed: {0}: {1}")]
    public void CaptureFailed(string exceptionType, string details) => WriteEvent(8, exceptionType, details);

    [Event(9, Level = EventLevel.Warning, Message = "The GC pause capture was re-armed after a failure; collections in between are counted as missed")]
    public void CaptureRearmed() => WriteEvent(9);

    [Event(10, Level = EventLevel.Informational, Message = "GC pause capture: collections run faster than {0} a second; observing {1} a second until they slow down, the rest counted as missed")]
    public void CapturePaced(int ratePerSecond, int pollsPerSecond) => WriteEvent(10, ratePerSecond, pollsPerSecond);

    [NonEvent]
    public void PageFailed(Exception exception)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            PageFailed(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
        }
    }

    // Ids from 20 on belong to the Prometheus endpoint, so other sinks can add theirs below without clashes.
    [Event(20, Level = EventLevel.Informational, Message = "Prometheus endpoint listening on {0}")]
    public void PrometheusEndpointStarted(string endPoint) => WriteEvent(20, endPoint);

    [Event(21, Level = EventLevel.Informational, Message = "Prometheus endpoint on {0} stopped")]
    public void PrometheusEndpointStopped(string endPoint) => WriteEvent(21, endPoint);

    [Event(22, Level = EventLevel.Warning, Message = "A Prometheus endpoint connection failed unexpectedly: {0}: {1}")]
    public void PrometheusConnectionFailed(string exceptionType, string message) => WriteEvent(22, exceptionType, message);

    [Event(23, Level = EventLevel.Warning, Message = "The Prometheus endpoint could not accept a connection: {0}; retrying shortly")]
    public void PrometheusAcceptFailed(string error) => WriteEvent(23, error);

    [Event(24, Level = EventLevel.Warning, Message = "The live page could not sample or encode: {0}: {1}")]
    public void PageFailed(string exceptionType, string message) => WriteEvent(24, exceptionType, message);

    // Ids from 100 on belong to the StatsD sink.
    [Event(101, Level = EventLevel.Warning, Message = "StatsD: connecting to {0} failed: {1}")]
    public void StatsDConnectFailed(string endpoint, string error) => WriteEvent(101, endpoint, error);

    [Event(102, Level = EventLevel.Warning, Message = "StatsD: datagrams to {0} are being dropped: {1}")]
    public void StatsDSendFailing(string endpoint, string reason) => WriteEvent(102, endpoint, reason);

    [Event(103, Level = EventLevel.Informational, Message = "StatsD: sending to {0} works again")]
    public void StatsDSendResumed(string endpoint) => WriteEvent(103, endpoint);

    [Event(104, Level = EventLevel.Informational, Message = "StatsD: {0} resolved to {1}")]
    public void StatsDResolved(string host, string address) => WriteEvent(104, host, address);

    [Event(105, Level = EventLevel.Warning, Message = "StatsD: resolving {0} failed: {1}")]
    public void StatsDResolveFailed(string host, string message) => WriteEvent(105, host, message);
}
