using System.Globalization;
using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Console;

/// <summary>
/// Renders a snapshot as a readable table, grouped by area, with values in human units
/// (KiB/MiB/GiB, ns/µs/ms/s) and, for counters, the change since the previous sample and its rate; under the
/// catalog's naming, also the pause distribution and the collections of the interval.
/// </summary>
internal sealed partial class ConsoleTableFormatter
{
    private const int NameWidth = 58;
    private const int ValueWidth = 14;
    private const int DeltaWidth = 14;

    private static readonly string[] s_groupTitles =
    [
        "GC and heap",
        "Allocation",
        "CPU and memory",
        "Thread pool and locks",
        "JIT",
        "Runtime",
        "Profiler",
    ];

    private readonly Figure[] _figures;
    private readonly string[] _labels;
    private readonly bool _pauses;

    public ConsoleTableFormatter(MetricNaming naming)
    {
        // Stable order: by group, then catalog order within the group.
        _figures = [.. FigureSets.Get(naming).Select((f, i) => (f, i)).OrderBy(p => p.f.Group).ThenBy(p => p.i).Select(p => p.f)];
        _labels = [.. _figures.Select(f => f.Attributes.Length == 0 ? f.Name : f.Name + " [" + string.Join(",", f.Attributes.Select(a => a.Value)) + "]")];
        _pauses = naming == MetricNaming.OpenTelemetry;
    }

    public void Format(RuntimeSnapshot snapshot, CharBuffer output)
    {
        output.Append("── sample ");
        output.AppendFormatted(snapshot.Sequence, default);
        output.Append(" · ");
        AppendTimestamp(output, snapshot.Timestamp);
        output.Append(" · ");
        output.AppendFormatted(snapshot.Elapsed.TotalSeconds, "0.00");
        output.Append(" s since the previous sample ");
        output.Append('─', 20);
        output.Append('\n');

        MetricGroup? group = null;
        for (int i = 0; i < _figures.Length; i++)
        {
            Figure figure = _figures[i];
            if (figure.Kind == MetricKind.Histogram)
            {
                if (_pauses && snapshot.TryGetHistogram(figure.Series!, out HistogramSnapshot? histogram) && histogram.Count > 0)
                {
                    BeginGroup(output, snapshot, ref group, figure.Group);
                    AppendLabel(output, i);
                    AppendHistogram(output, histogram);
                }

                continue;
            }

            if (!figure.TryGetValue(snapshot, out double value))
            {
                continue;
            }

            BeginGroup(output, snapshot, ref group, figure.Group);
            AppendLabel(output, i);

            int start = output.Length;
            if (figure.IsTimestamp)
            {
                AppendUnixTime(output, figure.Unit == "ns" ? value / 1e9 : value);
            }
            else
            {
                AppendHuman(output, value, figure.Unit);
            }

            output.PadLeftFrom(start, ValueWidth);

            if (figure.TryGetDelta(snapshot, out double delta))
            {
                start = output.Length;
                output.Append('+');
                AppendHuman(output, delta, figure.Unit);
                output.PadLeftFrom(start, DeltaWidth);
                double seconds = snapshot.Elapsed.TotalSeconds;
                if (seconds > 0)
                {
                    start = output.Length;
                    AppendHuman(output, delta / seconds, figure.Unit);
                    output.Append("/s");
                    output.PadLeftFrom(start, DeltaWidth + 2);
                }
            }

            output.Append('\n');
        }

        if (group == MetricGroup.GarbageCollector)
        {
            AppendCollections(output, snapshot);
        }
    }

    internal static void AppendHuman(CharBuffer output, double value, string unit)
    {
        switch (unit)
        {
            case "By":
                AppendBytes(output, value);
                break;
            case "s":
                AppendSeconds(output, value);
                break;
            case "ns":
                AppendSeconds(output, value / 1e9);
                break;
            case "1":
                output.AppendFormatted(value * 100, "0.###");
                output.Append(" %");
                break;
            default:
                output.AppendFormatted(value, NumberFormatting.IsWhole(value) ? "0" : "0.##");
                break;
        }
    }

    private void BeginGroup(CharBuffer output, RuntimeSnapshot snapshot, ref MetricGroup? group, MetricGroup next)
    {
        if (group == next)
        {
            return;
        }

        // The collections of the interval close the garbage-collector group, after its figures.
        if (group == MetricGroup.GarbageCollector)
        {
            AppendCollections(output, snapshot);
        }

        group = next;
        output.Append(s_groupTitles[(int)next]);
        output.Append('\n');
    }

    private void AppendLabel(CharBuffer output, int figure)
    {
        int lineStart = output.Length;
        output.Append("  ");
        output.Append(_labels[figure]);
        output.Append(' ', NameWidth - (output.Length - lineStart));
    }

    private static void AppendBytes(CharBuffer output, double bytes)
    {
        double magnitude = Math.Abs(bytes);
        if (magnitude < 1024)
        {
            output.AppendFormatted(bytes, "0");
            output.Append(" B");
        }
        else if (magnitude < 1024 * 1024)
        {
            output.AppendFormatted(bytes / 1024, "0.0");
            output.Append(" KiB");
        }
        else if (magnitude < 1024.0 * 1024 * 1024)
        {
            output.AppendFormatted(bytes / (1024 * 1024), "0.0");
            output.Append(" MiB");
        }
        else
        {
            output.AppendFormatted(bytes / (1024.0 * 1024 * 1024), "0.00");
            output.Append(" GiB");
        }
    }

    private static void AppendSeconds(CharBuffer output, double seconds)
    {
        double magnitude = Math.Abs(seconds);
        if (magnitude == 0)
        {
            output.Append("0 s");
        }
        else if (magnitude < 1e-6)
        {
            output.AppendFormatted(seconds * 1e9, "0");
            output.Append(" ns");
        }
        else if (magnitude < 1e-3)
        {
            output.AppendFormatted(seconds * 1e6, "0.0");
            output.Append(" µs");
        }
        else if (magnitude < 1)
        {
            output.AppendFormatted(seconds * 1e3, "0.00");
            output.Append(" ms");
        }
        else
        {
            output.AppendFormatted(seconds, "0.000");
            output.Append(" s");
        }
    }

    private static void AppendUnixTime(CharBuffer output, double unixSeconds)
    {
        if (unixSeconds < 0 || unixSeconds > 253_402_300_799)
        {
            output.AppendNumber(unixSeconds);
            return;
        }

        DateTime time = DateTime.UnixEpoch.AddTicks((long)(unixSeconds * TimeSpan.TicksPerSecond));
        Span<char> text = stackalloc char[16];
        time.TryFormat(text, out int written, "HH:mm:ss.fff", CultureInfo.InvariantCulture);
        output.Append(text[..written]);
        output.Append('Z');
    }

    private static void AppendTimestamp(CharBuffer output, DateTimeOffset timestamp)
    {
        Span<char> text = stackalloc char[32];
        timestamp.UtcDateTime.TryFormat(text, out int written, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        output.Append(text[..written]);
        output.Append('Z');
    }
}
