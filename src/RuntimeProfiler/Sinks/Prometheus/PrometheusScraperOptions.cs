using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>Settings of a <see cref="PrometheusScraper"/>, and of the endpoints built on one.</summary>
public sealed class PrometheusScraperOptions
{
    /// <summary>The longest <see cref="MinimumSampleInterval"/> allowed: 1 minute.</summary>
    public static readonly TimeSpan MaximumSampleInterval = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the names the figures are exposed under.</summary>
    /// <value>
    /// The default is <see cref="MetricNaming.OpenTelemetry"/> (<c>dotnet_gc_collections_total</c>, ...).
    /// <see cref="MetricNaming.Original"/> exposes the original Go names under Prometheus' conventions; see <c>docs/prometheus.md</c>.
    /// </value>
    public MetricNaming Naming { get; set; } = MetricNaming.OpenTelemetry;

    /// <summary>
    /// Gets or sets the shortest time between two readings of the runtime. A scrape sooner than this after the
    /// previous reading is answered from it, so a flood of scrapes cannot make the process sample (and pay for
    /// it) more than a few times a second.
    /// </summary>
    /// <value>The default is 100 milliseconds; from zero (every scrape samples) to <see cref="MaximumSampleInterval"/>.</value>
    public TimeSpan MinimumSampleInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the exception names it.</exception>
    internal void Validate()
    {
        if (!Enum.IsDefined(Naming))
        {
            throw new ArgumentOutOfRangeException(nameof(Naming), Naming, "Unknown naming.");
        }

        if (MinimumSampleInterval < TimeSpan.Zero || MinimumSampleInterval > MaximumSampleInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumSampleInterval), MinimumSampleInterval, $"The minimum sample interval must be between zero and {MaximumSampleInterval.TotalSeconds} s.");
        }
    }
}
