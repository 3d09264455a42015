namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>The flavour of the StatsD line protocol a <see cref="StatsDSink"/> writes; see <c>docs/statsd.md</c>.</summary>
public enum StatsDDialect
{
    /// <summary>
    /// Plain StatsD as Etsy's daemon defines it: <c>name:value|type</c>, no tags. Attributes are folded into the
    /// name (<c>dotnet.gc.collections.gen0:3|c</c>) and pauses are timers (<c>|ms</c>), one value per pause.
    /// Every StatsD server accepts it.
    /// </summary>
    Etsy,

    /// <summary>
    /// Datadog's DogStatsD: attributes and global tags as <c>|#key:value</c> tags, pauses as distributions
    /// (<c>|d</c>, in seconds) with exact power-of-two sample rates.
    /// </summary>
    DogStatsD,

    /// <summary>
    /// Telegraf's statsd input with Influx-style tags in the name (<c>dotnet.gc.collections,gc.heap.generation=gen0:3|c</c>),
    /// pauses as timers (<c>|ms</c>) with exact power-of-two sample rates, and counters sent as whole numbers.
    /// </summary>
    Telegraf,
}
