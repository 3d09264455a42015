using System.Text;
using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// One metric family, pre-encoded for one format: its metadata lines and, per series, the bytes that come
/// before each value. Writing it copies those bytes and formats the numbers; nothing is allocated.
/// </summary>
internal sealed class PrometheusFamily
{
    private readonly byte[] _metadata;
    private readonly Scalar[] _scalars;
    private readonly Histogram[] _histograms;

    public PrometheusFamily(PrometheusName name, string help, PrometheusFormat format, IReadOnlyList<Figure> members)
    {
        Name = name;
        _metadata = Encoding.UTF8.GetBytes(Metadata(name, help, format));
        if (name.Type == "histogram")
        {
            _scalars = [];
            _histograms = [.. members.Select(f => new Histogram(name, f))];
        }
        else
        {
            _histograms = [];
            _scalars = [.. members.Select(f => new Scalar(name, f))];
        }
    }

    public PrometheusName Name { get; }

    /// <summary>Gets every sample line's series key (name and labels), for the duplicate check at construction.</summary>
    public IEnumerable<string> SeriesKeys =>
        _scalars.Length > 0
            ? _scalars.Select(s => Encoding.UTF8.GetString(s.Prefix))
            : _histograms.SelectMany(h => h.Buckets.Append(h.Infinity).Append(h.Sum).Append(h.Count)).Select(p => Encoding.UTF8.GetString(p));

    /// <summary>Writes the family, metadata first; a family with no figure in this snapshot writes nothing at all.</summary>
    public void Write(RuntimeSnapshot snapshot, ref ExpositionWriter writer)
    {
        bool started = false;
        foreach (Scalar scalar in _scalars)
        {
            if (!scalar.Figure.TryGetValue(snapshot, out double value))
            {
                continue;
            }

            if (!started)
            {
                writer.Write(_metadata);
                started = true;
            }

            writer.WriteSample(scalar.Prefix, scalar.Divisor == 1 ? value : value / scalar.Divisor);
        }

        foreach (Histogram histogram in _histograms)
        {
            if (!snapshot.TryGetHistogram(histogram.Series, out HistogramSnapshot? data) || !double.IsFinite(data.TotalSum))
            {
                continue;
            }

            if (!started)
            {
                writer.Write(_metadata);
                started = true;
            }

            // Cumulative buckets, then +Inf, _sum and _count; +Inf and _count are the same total, the sum of every
            // bucket including the one above the last bound, so the distribution is consistent by construction.
            ReadOnlySpan<long> counts = data.TotalBucketCounts;
            int bounded = Math.Min(histogram.Buckets.Length, counts.Length);
            long cumulative = 0;
            for (int i = 0; i < bounded; i++)
            {
                cumulative += counts[i];
                writer.WriteSample(histogram.Buckets[i], cumulative);
            }

            for (int i = bounded; i < counts.Length; i++)
            {
                cumulative += counts[i];
            }

            writer.WriteSample(histogram.Infinity, cumulative);
            writer.WriteSample(histogram.Sum, data.TotalSum);
            writer.WriteSample(histogram.Count, cumulative);
        }
    }

    private static string Metadata(PrometheusName name, string help, PrometheusFormat format)
    {
        string escaped = PrometheusText.EscapeHelp(help, format);
        if (format == PrometheusFormat.Text)
        {
            // 0.0.4 names the counter family after its samples, _total included.
            string family = name.Type == "histogram" ? name.Family : name.Sample;
            return $"# HELP {family} {escaped}\n# TYPE {family} {name.Type}\n";
        }

        // OpenMetrics: TYPE, UNIT, HELP in that order, on the family name (no _total).
        string unit = name.Unit.Length > 0 ? $"# UNIT {name.Family} {name.Unit}\n" : string.Empty;
        return $"# TYPE {name.Family} {name.Type}\n{unit}# HELP {name.Family} {escaped}\n";
    }

    private static string Labels(PrometheusName name, Figure figure, string? le = null)
    {
        var pairs = new List<string>();
        for (int i = 0; i < figure.Attributes.Length; i++)
        {
            pairs.Add($"{name.LabelNames[i]}=\"{PrometheusText.EscapeLabelValue(figure.Attributes[i].Value)}\"");
        }

        if (le is not null)
        {
            pairs.Add($"le=\"{le}\"");
        }

        return pairs.Count == 0 ? string.Empty : "{" + string.Join(',', pairs) + "}";
    }

    private sealed class Scalar
    {
        public Scalar(PrometheusName name, Figure figure)
        {
            Figure = figure;
            Divisor = name.Divisor;
            Prefix = Encoding.UTF8.GetBytes($"{name.Sample}{Labels(name, figure)} ");
        }

        public Figure Figure { get; }

        public double Divisor { get; }

        public byte[] Prefix { get; }
    }

    private sealed class Histogram
    {
        public Histogram(PrometheusName name, Figure figure)
        {
            Series = figure.Series ?? throw new ArgumentException($"{figure.Name}: a histogram must be a catalog series.", nameof(figure));
            Buckets = [.. RuntimeMetricCatalog.GcPauseBucketBounds.Select(b => Encoding.UTF8.GetBytes($"{name.Family}_bucket{Labels(name, figure, PrometheusText.FormatBound(b))} "))];
            Infinity = Encoding.UTF8.GetBytes($"{name.Family}_bucket{Labels(name, figure, "+Inf")} ");
            Sum = Encoding.UTF8.GetBytes($"{name.Family}_sum{Labels(name, figure)} ");
            Count = Encoding.UTF8.GetBytes($"{name.Family}_count{Labels(name, figure)} ");
        }

        public MetricSeries Series { get; }

        public byte[][] Buckets { get; }

        public byte[] Infinity { get; }

        public byte[] Sum { get; }

        public byte[] Count { get; }
    }
}
