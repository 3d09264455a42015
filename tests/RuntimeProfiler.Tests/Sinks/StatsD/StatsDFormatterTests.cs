using System.Globalization;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.StatsD;

public sealed class StatsDFormatterTests
{
    [Theory]
    [InlineData(StatsDDialect.Etsy, MetricNaming.OpenTelemetry, "statsd-etsy.txt")]
    [InlineData(StatsDDialect.DogStatsD, MetricNaming.OpenTelemetry, "statsd-dogstatsd.txt")]
    [InlineData(StatsDDialect.Telegraf, MetricNaming.OpenTelemetry, "statsd-telegraf.txt")]
    [InlineData(StatsDDialect.Etsy, MetricNaming.Original, "statsd-etsy-original.txt")]
    [InlineData(StatsDDialect.DogStatsD, MetricNaming.Original, "statsd-dogstatsd-original.txt")]
    public async Task A_Sample_Renders_Byte_For_Byte_As_The_Golden_File(StatsDDialect dialect, MetricNaming naming, string golden)
    {
        var options = new StatsDSinkOptions { Dialect = dialect, Naming = naming, Prefix = "myapp" };
        if (dialect != StatsDDialect.Etsy)
        {
            options.GlobalTags["service"] = "checkout";
            options.GlobalTags["env"] = "prod";
        }

        Golden.AssertMatches(golden, await StatsDSnapshots.RenderAsync(options, StatsDSnapshots.WithPauses()));
    }
}
