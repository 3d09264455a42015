using System.Text;
using System.Text.RegularExpressions;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.IntegrationTests.Prometheus;

/// <summary>
/// Every exposition we render, checked by Prometheus' own linter (<c>promtool check metrics</c>) and, for
/// OpenMetrics, by the reference OpenMetrics parser (the Python client's, strict). promtool reads only the
/// 0.0.4 text format (prometheus/prometheus#8932), so an OpenMetrics exposition is also checked by having the
/// reference library parse it and re-expose it as 0.0.4 text for promtool.
/// </summary>
public sealed partial class PromtoolTests
{
    // Re-exposes an OpenMetrics exposition read strictly from stdin as 0.0.4 text on stdout.
    private const string OpenMetricsCheck = """
        import sys
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        from prometheus_client.exposition import generate_latest
        families = list(text_string_to_metric_families(sys.stdin.read()))
        class Families:
            def collect(self):
                return families
        sys.stdout.write(generate_latest(Families()).decode("utf-8"))
        """;

    [Theory]
    [MemberData(nameof(PrometheusRenderings.All), MemberType = typeof(PrometheusRenderings))]
    public async Task Rendered_Expositions_Pass_Promtool_And_The_Reference_Parser(MetricNaming naming, PrometheusFormat format, bool histograms)
    {
        RuntimeSnapshot snapshot = histograms ? SnapshotFactory.WithHistograms(SnapshotFactory.Full()) : SnapshotFactory.Full();
        byte[] buffer = new byte[128 * 1024];
        Assert.True(new PrometheusTextFormatter(naming, format).TryFormat(snapshot, buffer, out int written));
        await AssertValidAsync(Encoding.UTF8.GetString(buffer, 0, written), format);
    }

    [Theory]
    [InlineData(MetricNaming.OpenTelemetry, PrometheusFormat.Text)]
    [InlineData(MetricNaming.OpenTelemetry, PrometheusFormat.OpenMetrics)]
    [InlineData(MetricNaming.Original, PrometheusFormat.Text)]
    [InlineData(MetricNaming.Original, PrometheusFormat.OpenMetrics)]
    public async Task Live_Scrapes_Of_This_Process_Pass_Promtool_And_The_Reference_Parser(MetricNaming naming, PrometheusFormat format)
    {
        await using var endpoint = new PrometheusEndpoint(new PrometheusEndpointOptions { Port = 0, Naming = naming });
        endpoint.Start();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{endpoint.LocalEndPoint}/metrics"));
        request.Headers.TryAddWithoutValidation("Accept", format == PrometheusFormat.OpenMetrics ? "application/openmetrics-text;version=1.0.0" : "text/plain;version=0.0.4");
        using HttpResponseMessage response = await client.SendAsync(request);
        await AssertValidAsync(await response.Content.ReadAsStringAsync(), format);
    }

    private static async Task AssertValidAsync(string exposition, PrometheusFormat format)
    {
        bool openMetrics = format == PrometheusFormat.OpenMetrics;
        PrometheusExposition parsed = PrometheusExposition.Parse(exposition, openMetrics);
        if (!openMetrics)
        {
            await AssertPromtoolCleanAsync(exposition);
            return;
        }

        (int exit, string reexposed, string error) = await ExternalTool.RunAsync("/usr/bin/python3", exposition, "-c", OpenMetricsCheck);
        Assert.True(exit == 0, $"The reference OpenMetrics parser rejected the exposition: {error}");
        await AssertPromtoolCleanAsync(reexposed);

        // promtool on the OpenMetrics text itself: its 0.0.4 parser files each counter's _total samples apart from
        // the family's HELP, which it reports, and must report nothing else.
        HashSet<string> counters = [.. parsed.Families.Where(f => f.Type == "counter").Select(f => f.Name + "_total")];
        (int lintExit, _, string lint) = await ExternalTool.RunAsync("promtool", exposition, "check", "metrics");
        Assert.True(lintExit is 0 or 3, $"promtool could not parse the OpenMetrics exposition: {lint}");
        foreach (string line in lint.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Match match = NoHelpForTotal().Match(line);
            Assert.True(match.Success && counters.Contains(match.Groups[1].Value), $"promtool: {line}");
        }
    }

    private static async Task AssertPromtoolCleanAsync(string exposition)
    {
        (int exit, string output, string error) = await ExternalTool.RunAsync("promtool", exposition, "check", "metrics");
        Assert.True(exit == 0 && error.Length == 0 && output.Length == 0, $"promtool exit {exit}: {error}{output}");
    }

    [GeneratedRegex(@"^(\S+) no help text$")]
    private static partial Regex NoHelpForTotal();
}
