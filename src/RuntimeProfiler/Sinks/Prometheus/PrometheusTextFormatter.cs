using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// Renders a snapshot as one complete exposition in the Prometheus text format 0.0.4 or OpenMetrics 1.0.
/// Names, help and labels are encoded once, here; rendering copies bytes and formats numbers into the
/// caller's span, so it allocates nothing. Counters and histograms are rendered as running totals.
/// </summary>
/// <remarks>
/// Families are grouped (metadata once, before their samples), a family with no figure in the snapshot is
/// left out entirely, and every series is written once: the constructor refuses figures that would clash.
/// Instances are immutable after construction and safe to use from several threads at once.
/// </remarks>
internal sealed class PrometheusTextFormatter
{
    private readonly PrometheusFamily[] _families;

    public PrometheusTextFormatter(MetricNaming naming, PrometheusFormat format)
        : this(FigureSets.Get(naming), format)
    {
    }

    internal PrometheusTextFormatter(IReadOnlyList<Figure> figures, PrometheusFormat format)
    {
        Format = format;
        var groups = new List<(PrometheusName Name, List<Figure> Members)>();
        foreach (Figure figure in figures)
        {
            PrometheusName name = PrometheusName.For(figure);
            int index = groups.FindIndex(g => string.Equals(g.Name.Family, name.Family, StringComparison.Ordinal));
            if (index < 0)
            {
                groups.Add((name, [figure]));
                continue;
            }

            PrometheusName first = groups[index].Name;
            if (first.Type != name.Type || first.Unit != name.Unit || first.Divisor != name.Divisor)
            {
                throw new InvalidOperationException($"{figure.Name} renders as {name.Family}, which another figure of another type or unit already uses.");
            }

            groups[index].Members.Add(figure);
        }

        _families = [.. groups.Select(g => new PrometheusFamily(g.Name, g.Members[0].Description, format, g.Members))];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in _families.SelectMany(f => f.SeriesKeys))
        {
            if (!seen.Add(key))
            {
                throw new InvalidOperationException($"Two figures render as the same series: {key.TrimEnd()}.");
            }
        }
    }

    /// <summary>Gets the format this formatter writes.</summary>
    public PrometheusFormat Format { get; }

    /// <summary>Renders every figure present in <paramref name="snapshot"/>.</summary>
    /// <returns><see langword="false"/>, with nothing written, when <paramref name="destination"/> is too small: grow it and call again.</returns>
    public bool TryFormat(RuntimeSnapshot snapshot, Span<byte> destination, out int written)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var writer = new ExpositionWriter(destination);
        foreach (PrometheusFamily family in _families)
        {
            family.Write(snapshot, ref writer);
        }

        if (Format == PrometheusFormat.OpenMetrics)
        {
            writer.Write("# EOF\n"u8);
        }

        written = writer.Overflowed ? 0 : writer.Position;
        return !writer.Overflowed;
    }
}
