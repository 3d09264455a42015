using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>Where Etsy's daemon (graphite backend, <c>legacyNamespace: false</c>) files a series of the catalog.</summary>
internal static class StatsDKeys
{
    /// <summary>Gets the graphite path and tag suffix of a series: <c>stats.gauges.name</c> and <c>;key=value;...</c>.</summary>
    public static (string Path, string Tags) Of(MetricSeries series, StatsDDialect dialect, string kind, params (string Key, string Value)[] globalTags)
    {
        string suffix = kind == "counters" ? ".count" : string.Empty;
        if (dialect == StatsDDialect.Etsy)
        {
            string folded = string.Concat(series.Attributes.Select(a => "." + a.Value));
            return ($"stats.{kind}.{series.Name}{folded}{suffix}", string.Empty);
        }

        // The daemon turns DogStatsD tags "key:value" into ";key=value", in the order sent.
        string tags = string.Concat(series.Attributes.Select(a => $";{a.Key}={a.Value}").Concat(globalTags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $";{t.Key}={t.Value}")));
        return ($"stats.{kind}.{series.Name}{suffix}", tags);
    }
}
