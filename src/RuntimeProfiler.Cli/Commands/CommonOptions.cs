using System.CommandLine;
using System.CommandLine.Parsing;
using RuntimeProfiling.Agent;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Cli.Commands;

/// <summary>The options every sampling command shares.</summary>
internal static class CommonOptions
{
    public static Option<TimeSpan> Interval() => new("--interval")
    {
        Description = "Time between samples: 500ms, 1s, 2m or hh:mm:ss (10ms to 1d).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(1),
        CustomParser = result => ParseDuration(result, RuntimeProfiler.MinimumInterval, RuntimeProfiler.MaximumInterval),
    };

    public static Option<string> Format() => new Option<string>("--format")
    {
        Description = "How samples are printed on stdout: a table, or one JSON object per line.",
        DefaultValueFactory = _ => "table",
    }.AcceptOnlyFromAmong("table", "json");

    public static Option<string> Names() => new Option<string>("--names")
    {
        Description = "Metric names: otel (canonical, OpenTelemetry conventions) or original (the Go runtime profiler's names).",
        DefaultValueFactory = _ => "otel",
    }.AcceptOnlyFromAmong("otel", "original");

    public static MetricNaming ToNaming(string names) => names == "original" ? MetricNaming.Original : MetricNaming.OpenTelemetry;

    public static TimeSpan ParseDuration(ArgumentResult result, TimeSpan minimum, TimeSpan maximum)
    {
        string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        string option = result.Parent is OptionResult o ? o.Option.Name : "the duration";
        if (!DurationParser.TryParse(text, out TimeSpan duration, out string error))
        {
            result.AddError($"{option}: {error}");
            return default;
        }

        if (duration < minimum || duration > maximum)
        {
            result.AddError($"{option}: '{text}' is out of range ({Describe(minimum)} to {Describe(maximum)})");
            return default;
        }

        return duration;
    }

    private static string Describe(TimeSpan value) => value.TotalDays >= 1 && value.TotalDays == Math.Floor(value.TotalDays)
        ? $"{value.TotalDays:0}d"
        : value.TotalSeconds >= 1 ? $"{value.TotalSeconds:0.###}s" : $"{value.TotalMilliseconds:0}ms";
}
