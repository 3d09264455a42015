using System.Globalization;
using System.Text;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>
/// A strict reader of Prometheus text 0.0.4 and OpenMetrics 1.0 expositions, for tests. It fails on what
/// promtool and the Prometheus server let through (the same series twice, interleaved families, histogram
/// buckets that are not cumulative or whose +Inf differs from _count) as well as on syntax errors.
/// </summary>
internal sealed class PrometheusExposition
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    private PrometheusExposition()
    {
    }

    /// <summary>Gets every family: name, type, unit (OpenMetrics only) and help, in order.</summary>
    public List<(string Name, string Type, string Unit, string Help)> Families { get; } = [];

    /// <summary>Gets each sample's value by its series key: <c>name{a="b",le="1.0"}</c> with labels as written.</summary>
    public IReadOnlyDictionary<string, double> Samples => _samples;

    public double this[string series] => _samples.TryGetValue(series, out double value) ? value : throw new KeyNotFoundException($"No series {series}; have: {string.Join(", ", _samples.Keys.Take(80))}");

    public static PrometheusExposition Parse(string text, bool openMetrics)
    {
        var result = new PrometheusExposition();
        Assert.DoesNotContain('\r', text);
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "An exposition ends with a line feed.");
        string[] lines = text.Length == 0 ? [] : text[..^1].Split('\n');
        if (openMetrics)
        {
            Assert.True(lines.Length > 0 && lines[^1] == "# EOF", "An OpenMetrics exposition ends with '# EOF'.");
            lines = lines[..^1];
        }

        var closed = new HashSet<string>(StringComparer.Ordinal);
        (string Name, string Type, string Unit, string Help, bool HasSamples) family = (string.Empty, string.Empty, string.Empty, string.Empty, false);
        var histograms = new Dictionary<string, List<(string Le, double Value)>>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            Assert.False(string.IsNullOrEmpty(line), "No empty lines.");
            if (line.StartsWith('#'))
            {
                string[] parts = line.Split(' ', 4);
                Assert.True(parts.Length >= 3 && parts[0] == "#", $"Bad comment line: {line}");
                string keyword = parts[1];
                string name = parts[2];
                string value = parts.Length > 3 ? parts[3] : string.Empty;
                Assert.True(keyword is "HELP" or "TYPE" || (openMetrics && keyword == "UNIT"), $"Unexpected comment: {line}");
                if (name != family.Name)
                {
                    Assert.DoesNotContain(name, closed);
                    Close();
                    family = (name, string.Empty, string.Empty, string.Empty, false);
                    result.Families.Add((name, string.Empty, string.Empty, string.Empty));
                }

                Assert.False(family.HasSamples, $"{keyword} of {name} after its samples");
                switch (keyword)
                {
                    case "HELP":
                        Assert.True(family.Help.Length == 0, $"Second HELP for {name}");
                        family.Help = Unescape(value, openMetrics ? "\\\"n" : "\\n");
                        break;
                    case "TYPE":
                        Assert.True(family.Type.Length == 0, $"Second TYPE for {name}");
                        Assert.Contains(value, new[] { "counter", "gauge", "histogram" });
                        family.Type = value;
                        break;
                    default:
                        Assert.True(family.Unit.Length == 0, $"Second UNIT for {name}");
                        Assert.EndsWith("_" + value, name, StringComparison.Ordinal);
                        family.Unit = value;
                        break;
                }

                result.Families[^1] = (family.Name, family.Type, family.Unit, family.Help);
                continue;
            }

            (string sample, List<(string Key, string Value)> labels, double number) = ParseSample(line);
            Assert.False(string.IsNullOrEmpty(family.Name), $"Sample before any metadata: {line}");
            Assert.False(string.IsNullOrEmpty(family.Type), $"Sample of {family.Name} without TYPE");
            Assert.False(string.IsNullOrEmpty(family.Help), $"Sample of {family.Name} without HELP");
            string suffix = sample.StartsWith(family.Name, StringComparison.Ordinal) ? sample[family.Name.Length..] : "<other family>";
            string[] allowed = (family.Type, openMetrics) switch
            {
                ("counter", true) => ["_total"],
                ("histogram", _) => ["_bucket", "_sum", "_count"],
                _ => [string.Empty],
            };
            Assert.True(allowed.Contains(suffix), $"{sample} does not belong to the {family.Type} family {family.Name}");
            if (family.Type == "counter" && !openMetrics)
            {
                Assert.EndsWith("_total", sample, StringComparison.Ordinal);
            }

            Assert.True(labels.Select(l => l.Key).Distinct().Count() == labels.Count, $"Repeated label in {line}");
            Assert.True(suffix == "_bucket" == labels.Any(l => l.Key == "le"), $"le belongs on buckets, and only there: {line}");
            string key = sample + (labels.Count == 0 ? string.Empty : "{" + string.Join(',', labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}");
            Assert.True(result._samples.TryAdd(key, number), $"The series {key} is written twice.");
            family.HasSamples = true;
            if (family.Type == "histogram")
            {
                string series = family.Name + "{" + string.Join(',', labels.Where(l => l.Key != "le").Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
                if (!histograms.TryGetValue(series, out List<(string Le, double Value)>? buckets))
                {
                    histograms[series] = buckets = [];
                }

                buckets.Add((suffix == "_bucket" ? labels.Single(l => l.Key == "le").Value : suffix, number));
            }
        }

        Close();
        foreach ((string series, List<(string Le, double Value)> points) in histograms)
        {
            List<(string Le, double Value)> buckets = [.. points.Where(p => !p.Le.StartsWith('_'))];
            Assert.True(buckets.Count > 0 && buckets[^1].Le == "+Inf", $"{series}: the last bucket is +Inf");
            for (int i = 1; i < buckets.Count; i++)
            {
                Assert.True(ParseNumber(buckets[i].Le) > ParseNumber(buckets[i - 1].Le), $"{series}: le ascending");
                Assert.True(buckets[i].Value >= buckets[i - 1].Value, $"{series}: buckets are cumulative");
            }

            Assert.Equal(buckets[^1].Value, points.Single(p => p.Le == "_count").Value);
            Assert.Contains(points, p => p.Le == "_sum");
            Assert.Equal(["_sum", "_count"], points.Skip(buckets.Count).Select(p => p.Le));
        }

        return result;

        void Close()
        {
            if (!string.IsNullOrEmpty(family.Name))
            {
                closed.Add(family.Name);
            }
        }
    }

    private static (string Name, List<(string Key, string Value)> Labels, double Value) ParseSample(string line)
    {
        int i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        string name = line[..i];
        Assert.Matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$", name);
        var labels = new List<(string, string)>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int equals = line.IndexOf('=', i);
                string key = line[i..equals];
                Assert.Matches("^[a-zA-Z_][a-zA-Z0-9_]*$", key);
                Assert.Equal('"', line[equals + 1]);
                var value = new StringBuilder();
                int j = equals + 2;
                while (line[j] != '"')
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        Assert.True(line[j] is '\\' or '"' or 'n', $"Bad escape in {line}");
                    }

                    value.Append(line[j]);
                    j++;
                }

                labels.Add((key, line[(equals + 2)..j]));
                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        Assert.Equal(' ', line[i]);
        string number = line[(i + 1)..];
        Assert.DoesNotContain(' ', number);
        return (name, labels, ParseNumber(number));
    }

    private static double ParseNumber(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unescape(string text, string allowed)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                Assert.True(i + 1 < text.Length && allowed.Contains(text[i + 1], StringComparison.Ordinal), $"Bad escape in help: {text}");
                i++;
            }
        }

        return text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
    }
}
