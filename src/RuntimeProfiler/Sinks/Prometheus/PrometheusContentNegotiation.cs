using System.Globalization;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// Chooses the format and encoding of a scrape from its <c>Accept</c> and <c>Accept-Encoding</c> headers.
/// Prometheus 2 sends <c>application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1</c>
/// and Prometheus 3 adds <c>escaping=allow-utf-8</c> parameters and lower weights; both get OpenMetrics.
/// Parsing works on spans and allocates nothing.
/// </summary>
internal static class PrometheusContentNegotiation
{
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>
    /// Picks the format with the highest weight among the media ranges we can serve; on a tie the one listed
    /// first wins. Anything else, a missing header included, gets the 0.0.4 text format, as every scraper reads it.
    /// </summary>
    public static PrometheusFormat SelectFormat(ReadOnlySpan<char> accept)
    {
        PrometheusFormat best = PrometheusFormat.Text;
        double bestWeight = 0;
        foreach (Range range in accept.Split(','))
        {
            ReadOnlySpan<char> item = accept[range];
            if (!TryRead(item, out ReadOnlySpan<char> mediaType, out double weight, out ReadOnlySpan<char> version) || weight <= bestWeight)
            {
                continue;
            }

            PrometheusFormat? format = Match(mediaType, version);
            if (format is { } chosen)
            {
                best = chosen;
                bestWeight = weight;
            }
        }

        return best;
    }

    /// <summary>Tells whether the client accepts a gzip-encoded body (<c>gzip</c> or <c>*</c> with a weight above zero).</summary>
    public static bool AcceptsGzip(ReadOnlySpan<char> acceptEncoding)
    {
        foreach (Range range in acceptEncoding.Split(','))
        {
            if (TryRead(acceptEncoding[range], out ReadOnlySpan<char> coding, out double weight, out _)
                && weight > 0
                && (coding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase) || coding is "*"))
            {
                return true;
            }
        }

        return false;
    }

    public static string ContentType(PrometheusFormat format) => format == PrometheusFormat.OpenMetrics ? OpenMetricsContentType : TextContentType;

    private static PrometheusFormat? Match(ReadOnlySpan<char> mediaType, ReadOnlySpan<char> version)
    {
        if (mediaType.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
        {
            return version.IsEmpty || version is "1.0.0" or "0.0.1" ? PrometheusFormat.OpenMetrics : null;
        }

        // text/plain version 1.0.0 (Prometheus 3) is a superset of 0.0.4: our names need none of its additions.
        if (mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return version.IsEmpty || version is "0.0.4" or "1.0.0" ? PrometheusFormat.Text : null;
        }

        return mediaType is "*/*" || mediaType.Equals("text/*", StringComparison.OrdinalIgnoreCase) ? PrometheusFormat.Text : null;
    }

    /// <summary>Reads one list item: its value before the first ';', its weight (q, 1 when absent) and its version parameter.</summary>
    private static bool TryRead(ReadOnlySpan<char> item, out ReadOnlySpan<char> value, out double weight, out ReadOnlySpan<char> version)
    {
        weight = 1;
        version = default;
        int semicolon = item.IndexOf(';');
        value = (semicolon < 0 ? item : item[..semicolon]).Trim();
        if (value.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<char> parameters = semicolon < 0 ? default : item[(semicolon + 1)..];
        foreach (Range range in parameters.Split(';'))
        {
            ReadOnlySpan<char> parameter = parameters[range];
            int equals = parameter.IndexOf('=');
            if (equals < 0)
            {
                continue;
            }

            ReadOnlySpan<char> key = parameter[..equals].Trim();
            ReadOnlySpan<char> text = parameter[(equals + 1)..].Trim().Trim('"');
            if (key.Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                // A weight that does not parse makes the item unusable rather than preferred.
                if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out weight) || weight > 1)
                {
                    return false;
                }
            }
            else if (key.Equals("version", StringComparison.OrdinalIgnoreCase))
            {
                version = text;
            }
        }

        return true;
    }
}
