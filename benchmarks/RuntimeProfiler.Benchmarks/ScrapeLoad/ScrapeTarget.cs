using System.Diagnostics;
using System.Globalization;
using System.Net;
using Prometheus;
using RuntimeProfiling.Benchmarks.HostCost;
using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.Benchmarks.ScrapeLoad;

/// <summary>
/// The process a scrape load test scrapes: a /metrics server (ours, prometheus-net's, or none) and, meanwhile,
/// the host-cost allocation workload on one thread, whose throughput shows what serving scrapes costs the host.
/// </summary>
/// <remarks>
/// <c>scrape-target --server ours|prometheus-net|none --port N --seconds S</c>. Prints <c>ready</c> once the
/// server listens, then after S seconds one line: <c>workload_ops_per_s=... cpu_seconds=... gcs=...</c>.
/// Driven by benchmarks/scrape-load.sh.
/// </remarks>
internal static class ScrapeTarget
{
    private const long Chunk = 200_000;

    public static int Run(string[] args)
    {
        string server = Arg(args, "--server") ?? "ours";
        int port = int.Parse(Arg(args, "--port") ?? "9464", CultureInfo.InvariantCulture);
        double seconds = double.Parse(Arg(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);

        IDisposable? running = server switch
        {
            "ours" => StartOurs(port),
            "prometheus-net" => new MetricServer("127.0.0.1", port).Start(),
            "none" => null,
            _ => throw new ArgumentException($"--server: '{server}' is not ours, prometheus-net or none"),
        };

        try
        {
            // Warm both the workload and the server's first response before the load starts.
            AllocationWorkload.Run(Chunk, 1);
            Console.WriteLine("ready");
            Console.Out.Flush();

            var clock = Stopwatch.StartNew();
            TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            int gcStart = GC.CollectionCount(0);
            long operations = 0;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                AllocationWorkload.Run(Chunk, 1);
                operations += Chunk;
            }

            double elapsed = clock.Elapsed.TotalSeconds;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"workload_ops_per_s={operations / elapsed:F0} cpu_seconds={cpu:F2} gcs={GC.CollectionCount(0) - gcStart}"));
            return 0;
        }
        finally
        {
            running?.Dispose();
        }
    }

    private static PrometheusEndpoint StartOurs(int port)
    {
        var endpoint = new PrometheusEndpoint(new PrometheusEndpointOptions { Address = IPAddress.Loopback, Port = port });
        endpoint.Start();
        return endpoint;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
