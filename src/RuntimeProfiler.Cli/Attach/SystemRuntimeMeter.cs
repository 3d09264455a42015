using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Cli.Attach;

/// <summary>
/// The runtime's <c>System.Runtime</c> meter (.NET 9 and later) as another process publishes it over EventPipe,
/// and how its instruments map onto the catalog: by canonical name, attribute values and unit, which the
/// catalog shares with the meter.
/// </summary>
internal static class SystemRuntimeMeter
{
    public const string ProviderName = "System.Diagnostics.Metrics";
    public const string MeterName = "System.Runtime";
    public const string ExceptionsInstrument = "dotnet.exceptions";

    /// <summary>The <c>System.Diagnostics.Metrics</c> keyword that turns on periodic publication of values.</summary>
    private const long TimeSeriesValuesKeyword = 0x2;

    private static readonly Dictionary<string, MetricSeries[]> s_byName = RuntimeMetricCatalog.Series
        .Where(s => s.Kind != MetricKind.Histogram && s.Group != MetricGroup.Profiler)
        .GroupBy(s => s.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The provider that asks the target to publish the meter's values every <paramref name="interval"/>.</summary>
    public static EventPipeProvider Provider(string sessionId, TimeSpan interval)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SessionId"] = sessionId,
            ["Metrics"] = MeterName,
            ["RefreshInterval"] = interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            ["MaxTimeSeries"] = "1000",
            ["MaxHistograms"] = "10",
            ["ClientId"] = sessionId,
        };
        return new EventPipeProvider(ProviderName, EventLevel.Informational, TimeSeriesValuesKeyword, arguments);
    }

    /// <summary>Finds the catalog series an instrument's time series maps onto.</summary>
    /// <param name="instrument">The instrument's name, such as <c>dotnet.gc.collections</c>.</param>
    /// <param name="unit">The instrument's unit; a series whose unit differs is not the same figure.</param>
    /// <param name="tags">The time series' tags as the meter writes them: <c>key=value</c> pairs separated by commas.</param>
    /// <param name="series">The series.</param>
    public static bool TryMap(string instrument, string unit, string tags, out MetricSeries? series)
    {
        series = null;
        if (!s_byName.TryGetValue(instrument, out MetricSeries[]? candidates))
        {
            return false;
        }

        foreach (MetricSeries candidate in candidates)
        {
            if (string.Equals(candidate.Unit, unit, StringComparison.Ordinal) && TagsMatch(candidate.AttributeSpan, tags))
            {
                series = candidate;
                return true;
            }
        }

        return false;
    }

    private static bool TagsMatch(ReadOnlySpan<KeyValuePair<string, string>> attributes, string tags)
    {
        int count = 0;
        foreach (string pair in tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            string key = pair[..equals];
            string value = pair[(equals + 1)..];
            bool found = false;
            foreach (KeyValuePair<string, string> attribute in attributes)
            {
                found |= string.Equals(attribute.Key, key, StringComparison.Ordinal) && string.Equals(attribute.Value, value, StringComparison.Ordinal);
            }

            if (!found)
            {
                return false;
            }

            count++;
        }

        return count == attributes.Length;
    }
}
