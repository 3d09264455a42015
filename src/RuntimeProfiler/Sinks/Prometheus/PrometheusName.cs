using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// How one figure is named in Prometheus: the rules of the OpenTelemetry-to-Prometheus translation (dots to
/// underscores, base units as suffixes, <c>_total</c> on counters, annotations such as <c>{thread}</c> dropped),
/// plus two of our own so every name passes <c>promtool</c>; see <c>docs/prometheus.md</c>.
/// </summary>
internal sealed class PrometheusName
{
    private PrometheusName(string family, string type, string unit, double divisor, string[] labelNames)
    {
        Family = family;
        Type = type;
        Unit = unit;
        Divisor = divisor;
        LabelNames = labelNames;
    }

    /// <summary>Gets the family name as OpenMetrics declares it: without <c>_total</c> for counters.</summary>
    public string Family { get; }

    /// <summary>Gets the name of the samples of a counter or gauge, and of the family in the 0.0.4 text format.</summary>
    public string Sample => Type == "counter" ? Family + "_total" : Family;

    /// <summary>Gets the type word of the <c># TYPE</c> line: counter, gauge or histogram.</summary>
    public string Type { get; }

    /// <summary>Gets the unit word of the OpenMetrics <c># UNIT</c> line (bytes, seconds, ratio), or empty.</summary>
    public string Unit { get; }

    /// <summary>Gets what the figure's value is divided by to reach the base unit (1e9 for nanoseconds, else 1).</summary>
    public double Divisor { get; }

    public string[] LabelNames { get; }

    public static PrometheusName For(Figure figure)
    {
        // Two original running totals would share their OpenMetrics family name (which drops "_total") with a
        // gauge of the same stem (runtime.mem.alloc_bytes, runtime.gc.pause_ns): they take their Go field's name.
        string name = figure.Name switch
        {
            "runtime.mem.alloc_bytes_total" => "runtime_mem_total_alloc_bytes",
            "runtime.gc.pause_total_ns" => "runtime_gc_pause_total_seconds",
            _ => Sanitize(figure.Name),
        };
        string type = figure.Kind == MetricKind.Histogram ? "histogram" : figure.IsRunningTotal ? "counter" : "gauge";
        (string unit, double divisor) = figure.Unit switch
        {
            "By" => ("bytes", 1.0),
            "s" => ("seconds", 1.0),
            "ns" => ("seconds", 1e9),
            "1" when type == "gauge" => ("ratio", 1.0),
            _ => (string.Empty, 1.0),
        };

        // The original names carry their unit ("pause_total_ns"): the value moves to seconds, so the name does too.
        if (figure.Unit == "ns")
        {
            name = StripSuffix(name, "_ns");
        }

        // "_total" belongs at the very end of a counter's sample name, after the unit.
        if (type == "counter")
        {
            name = StripSuffix(name, "_total");
        }

        // promtool reserves "_count" for histograms and summaries: a gauge counting things is named after them
        // instead (dotnet.thread_pool.thread.count, unit {thread}: dotnet_thread_pool_threads).
        if (type == "gauge" && name.EndsWith("_count", StringComparison.Ordinal) && Annotation(figure.Unit) is { Length: > 0 } thing)
        {
            name = StripSuffix(name[..^"_count".Length], "_" + thing) + "_" + Plural(thing);
        }

        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        string[] labels = [.. figure.Attributes.Select(a => Sanitize(a.Key))];
        return new PrometheusName(name, type, unit, divisor, labels);
    }

    /// <summary>Replaces every character a metric or label name cannot hold with an underscore, and collapses runs of them.</summary>
    internal static string Sanitize(string name)
    {
        var chars = new char[name.Length + 1];
        int length = 0;
        if (name.Length > 0 && char.IsAsciiDigit(name[0]))
        {
            chars[length++] = '_';
        }

        foreach (char c in name)
        {
            char mapped = char.IsAsciiLetterOrDigit(c) || c == ':' ? c : '_';
            if (mapped == '_' && length > 0 && chars[length - 1] == '_')
            {
                continue;
            }

            chars[length++] = mapped;
        }

        return new string(chars, 0, length);
    }

    private static string StripSuffix(string name, string suffix) =>
        name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : name;

    private static string Annotation(string unit) =>
        unit.Length > 2 && unit[0] == '{' && unit[^1] == '}' ? Sanitize(unit[1..^1]) : string.Empty;

    private static string Plural(string word) =>
        word.EndsWith('y') && word.Length > 1 && !"aeiou".Contains(word[^2], StringComparison.Ordinal) ? word[..^1] + "ies" : word + "s";
}
