namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>Settings of a <see cref="LivePage"/>: how often it samples, how much of the past it keeps, and how many viewers it streams to.</summary>
public sealed class LivePageOptions
{
    /// <summary>The shortest <see cref="Interval"/> allowed: 100 milliseconds.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest <see cref="Interval"/> allowed: 1 hour.</summary>
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromHours(1);

    /// <summary>The most samples the history holds, whatever <see cref="History"/> and <see cref="Interval"/> say: 3600.</summary>
    public const int MaximumHistorySamples = 3600;

    /// <summary>Gets or sets the time between two samples of the page: each one is a point on every chart.</summary>
    /// <value>The default is 1 second; from <see cref="MinimumInterval"/> (100 ms) to <see cref="MaximumInterval"/> (1 hour).</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how much of the past the page keeps in memory, so a page opened late shows it. The samples are
    /// kept in a ring allocated once, of <see cref="History"/> / <see cref="Interval"/> samples (at least 2, at most
    /// <see cref="MaximumHistorySamples"/>), about 0.8 KB each.
    /// </summary>
    /// <value>The default is 15 minutes; from 1 minute to 1 day.</value>
    public TimeSpan History { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets or sets how many pages may stream updates at once. Each stream holds one connection; a page over the
    /// limit is answered 503 on its stream and polls instead, so streams never take every connection of a server.
    /// </summary>
    /// <value>The default is 8; from 1 to 64.</value>
    public int MaxStreams { get; set; } = 8;

    /// <summary>Gets the number of samples the history ring holds for these settings.</summary>
    internal int HistoryCapacity => (int)Math.Clamp(History.Ticks / Interval.Ticks, 2, MaximumHistorySamples);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the exception names it.</exception>
    internal void Validate()
    {
        if (Interval < MinimumInterval || Interval > MaximumInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, $"The page's interval must be between {MinimumInterval.TotalMilliseconds} ms and {MaximumInterval.TotalHours} h.");
        }

        if (History < TimeSpan.FromMinutes(1) || History > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(History), History, "The page's history must be between 1 minute and 1 day.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStreams, 1, nameof(MaxStreams));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxStreams, 64, nameof(MaxStreams));
    }

    internal LivePageOptions Clone() => new() { Interval = Interval, History = History, MaxStreams = MaxStreams };
}
