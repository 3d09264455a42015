using Microsoft.Extensions.Logging;

namespace RuntimeProfiling.Hosting;

/// <summary>The hosted profiler's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "RuntimeProfiler started: a sample every {Interval} to {Sinks}")]
    public static partial void Started(ILogger logger, TimeSpan interval, string sinks);

    [LoggerMessage(2, LogLevel.Information, "RuntimeProfiler stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "RuntimeProfiler sink {Sink} failed ({Suppressed} more failures since the last report)")]
    public static partial void SinkFailed(ILogger logger, string sink, long suppressed, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "RuntimeProfiler could not start sink {Sink}")]
    public static partial void SinkStartFailed(ILogger logger, string sink, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "RuntimeProfiler serving Prometheus metrics on {Url}")]
    public static partial void PrometheusServing(ILogger logger, string url);

    [LoggerMessage(6, LogLevel.Information, "RuntimeProfiler sending StatsD ({Dialect}) to {Endpoint}")]
    public static partial void StatsDSending(ILogger logger, RuntimeProfiling.Sinks.StatsD.StatsDDialect dialect, string endpoint);
}
