namespace RuntimeProfiling.Collection;

/// <summary>Settings of a <see cref="RuntimeProfiler"/>. Validated when the profiler is constructed.</summary>
public sealed class RuntimeProfilerOptions
{
    /// <summary>Gets or sets the time between samples.</summary>
    /// <value>The default is 10 seconds. Allowed: from <see cref="RuntimeProfiler.MinimumInterval"/> (10 ms) to <see cref="RuntimeProfiler.MaximumInterval"/> (1 day).</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the sinks that receive every sample. At least one is required.</summary>
    public IList<IRuntimeMetricsSink> Sinks { get; } = [];

    /// <summary>Gets or sets how long stopping waits for sinks still writing before it cancels them and returns.</summary>
    /// <value>The default is 5 seconds. Allowed: zero to 10 minutes.</value>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets whether stopping takes one last sample and hands it to every sink, so the last partial interval is not lost.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool FlushOnStop { get; set; } = true;

    /// <summary>
    /// Gets or sets a callback invoked, on the thread that ran the sink (its delivery thread; the sampling thread for
    /// the built-in StatsD and meter sinks, whose writes never wait), with each exception a sink throws. Exceptions are
    /// also counted (<c>runtime_profiler.sink.errors</c>) and reported on the <c>RuntimeProfiler</c> event source.
    /// An exception thrown by the callback itself is reported there and otherwise ignored.
    /// </summary>
    public Action<IRuntimeMetricsSink, Exception>? OnSinkError { get; set; }

    internal void Validate()
    {
        if (Interval < RuntimeProfiler.MinimumInterval || Interval > RuntimeProfiler.MaximumInterval)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Interval),
                Interval,
                $"The interval must be between {RuntimeProfiler.MinimumInterval.TotalMilliseconds} ms and {RuntimeProfiler.MaximumInterval.TotalDays} day.");
        }

        if (StopTimeout < TimeSpan.Zero || StopTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(StopTimeout), StopTimeout, "The stop timeout must be between zero and 10 minutes.");
        }

        if (Sinks.Count == 0)
        {
            throw new ArgumentException("At least one sink is required.", nameof(Sinks));
        }

        for (int i = 0; i < Sinks.Count; i++)
        {
            if (Sinks[i] is null)
            {
                throw new ArgumentException($"Sink {i} is null.", nameof(Sinks));
            }
        }
    }
}
