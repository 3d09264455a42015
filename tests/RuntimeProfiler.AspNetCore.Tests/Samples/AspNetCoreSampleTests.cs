using System.Globalization;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.AspNetCore.Tests.Samples;

/// <summary>samples/AspNetCore as it runs: the built app started as a process on a loopback port chosen at run time, scraped over real HTTP.</summary>
public sealed class AspNetCoreSampleTests
{
    private const string ListeningOn = "Now listening on: ";

    [Fact]
    public async Task The_Sample_Serves_Its_Own_Runtime_Figures_On_Metrics_And_Stops_Cleanly()
    {
        string app = TestArtifacts.PathOf("RuntimeProfiler.Samples.AspNetCore");
        await using ChildProcess sample = ChildProcess.StartDotnet(app, ["--urls", "http://127.0.0.1:0", "--contentRoot", Path.GetDirectoryName(app)!]);
        string listening = await sample.WaitForOutputLineAsync(l => l.Contains(ListeningOn, StringComparison.Ordinal));
        var address = new Uri(listening[(listening.IndexOf(ListeningOn, StringComparison.Ordinal) + ListeningOn.Length)..].Trim());
        Assert.Equal("127.0.0.1", address.Host);

        // The hosted profiler runs from the sample's appsettings.json.
        await sample.WaitForOutputLineAsync(l => l.Contains("RuntimeProfiler started: a sample every 00:00:10 to Meter", StringComparison.Ordinal));

        using var client = new HttpClient { BaseAddress = address };
        PrometheusExposition first = await ScrapeAsync(client);
        Assert.Equal(1, first["runtime_profiler_prometheus_scrapes_total"]);
        Assert.Equal(Environment.ProcessorCount, first["dotnet_process_cpus"]);
        Assert.True(first["dotnet_process_memory_working_set_bytes"] > 0);

        // The sample allocates what it is asked to; its allocation counter shows it once a scrape reads the runtime
        // again (scrapes within 100 ms of a reading share it).
        const long Allocated = 32L << 20;
        string work = await client.GetStringAsync(new Uri("/work?megabytes=32", UriKind.Relative));
        Assert.Contains(Allocated.ToString(CultureInfo.InvariantCulture), work, StringComparison.Ordinal);
        double before = first["dotnet_gc_heap_total_allocated_bytes_total"];
        double after = before;
        using var patience = new CancellationTokenSource(ChildProcess.Patience);
        while (after - before < Allocated && !patience.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
            after = (await ScrapeAsync(client))["dotnet_gc_heap_total_allocated_bytes_total"];
        }

        Assert.True(after - before >= Allocated, $"The sample's allocation counter moved by {after - before} bytes, less than the {Allocated} it allocated.");

        await sample.SignalAsync("TERM");
        Assert.Equal(0, await sample.WaitForExitAsync());
        Assert.Contains("RuntimeProfiler stopped", sample.Output, StringComparison.Ordinal);
    }

    private static async Task<PrometheusExposition> ScrapeAsync(HttpClient client) =>
        PrometheusExposition.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), openMetrics: false);
}
