using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RuntimeProfiling.IntegrationTests.Prometheus;

/// <summary>
/// A real Prometheus server (Debian's package) on a loopback port chosen at run time, with temporary storage,
/// a 1 s scrape interval, and targets read from files that tests write (file_sd). Stopped by its PID.
/// </summary>
public sealed class PrometheusServerFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("runtime-profiler-prometheus-").FullName;
    private Process? _process;

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "targets"));
        string config = Path.Combine(_directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: runtime-profiler
                file_sd_configs:
                  - files: ['{{Path.Combine(_directory, "targets")}}/*.json']
                    refresh_interval: 1s
            """);

        // A free port is found by binding port 0; should another process take it before Prometheus does, try again.
        for (int attempt = 0; attempt < 3 && _process is null; attempt++)
        {
            int port = FreePort();
            var info = new ProcessStartInfo("prometheus")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add($"--config.file={config}");
            info.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(_directory, $"data{attempt}")}");
            info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
            info.ArgumentList.Add("--log.level=warn");
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Client.BaseAddress = new Uri($"http://127.0.0.1:{port}");
            if (await WaitReadyAsync(process))
            {
                _process = process;
            }
            else
            {
                Stop(process);
            }
        }

        Assert.True(_process is not null, "Prometheus did not become ready.");
    }

    /// <summary>Points Prometheus at a target, labelled with <paramref name="testId"/>; it is scraped within seconds.</summary>
    public Task AddTargetAsync(string testId, IPEndPoint target, string metricsPath = "/metrics")
    {
        string json = JsonSerializer.Serialize(new[]
        {
            new { targets = new[] { target.ToString() }, labels = new Dictionary<string, string> { ["test_id"] = testId, ["__metrics_path__"] = metricsPath } },
        });
        string file = Path.Combine(_directory, "targets", testId + ".json");
        File.WriteAllText(file + ".tmp", json);
        File.Move(file + ".tmp", file, overwrite: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs an instant query and returns each series' labels and value.</summary>
    public async Task<List<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string query)
    {
        using HttpResponseMessage response = await Client.GetAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var results = new List<(Dictionary<string, string>, double)>();
        foreach (JsonElement series in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            string value = series.GetProperty("value")[1].GetString()!;
            results.Add((labels, double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        return results;
    }

    /// <summary>Queries until <paramref name="accept"/> holds for the result, for at most 30 s; returns the last result.</summary>
    public async Task<List<(Dictionary<string, string> Labels, double Value)>> WaitForAsync(string query, Func<List<(Dictionary<string, string> Labels, double Value)>, bool> accept)
    {
        var limit = Stopwatch.StartNew();
        List<(Dictionary<string, string>, double)> last = [];
        while (limit.Elapsed < TimeSpan.FromSeconds(30))
        {
            last = await QueryAsync(query);
            if (accept(last))
            {
                return last;
            }

            await Task.Delay(250);
        }

        string targets = await Client.GetStringAsync(new Uri("/api/v1/targets", UriKind.Relative));
        Assert.Fail($"'{query}' never gave the expected result; last: {string.Join("; ", last.Select(r => r.Item2))}; targets: {targets}");
        return last;
    }

    /// <summary>Gets the metadata (type, unit, help) Prometheus recorded for a metric of the target labelled <paramref name="testId"/>.</summary>
    public async Task<JsonElement> TargetMetadataAsync(string testId, string metric)
    {
        string url = $"/api/v1/targets/metadata?match_target={Uri.EscapeDataString($"{{test_id=\"{testId}\"}}")}&metric={metric}";
        using JsonDocument document = JsonDocument.Parse(await Client.GetStringAsync(new Uri(url, UriKind.Relative)));
        return document.RootElement.GetProperty("data").Clone();
    }

    public ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            Stop(_process);
        }

        Client.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    private async Task<bool> WaitReadyAsync(Process process)
    {
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
        {
            try
            {
                using HttpResponseMessage ready = await Client.GetAsync(new Uri("/-/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
