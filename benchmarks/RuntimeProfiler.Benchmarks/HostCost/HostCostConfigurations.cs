using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Sinks.Meter;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Benchmarks.HostCost;

/// <summary>The profiler configurations the host-cost run compares, and one run of the workload under one of them.</summary>
internal static class HostCostConfigurations
{
    public static readonly string[] Names = ["none", "interval-1s-all-sinks", "interval-10ms", "interval-10ms-statsd", "interval-10ms-null"];

    /// <summary>
    /// Runs the workload once under a configuration; prints wall seconds, CPU seconds and GC count. With
    /// <paramref name="idleSeconds"/> above zero the measured part is the process sitting idle that long
    /// instead, so the CPU printed is the profiler's own.
    /// </summary>
    /// <param name="name">The configuration, one of <see cref="Names"/>.</param>
    /// <param name="operations">The workload's size.</param>
    /// <param name="warmupSeconds">How long the workload runs under the configuration before the measured
    /// part: the profiler's code is compiled (tiered compilation recompiles hot methods in the background,
    /// about half a second of CPU once per process) before anything is counted.</param>
    /// <param name="idleSeconds">Zero to measure the workload; otherwise how long to measure an idle process.</param>
    public static int RunChild(string name, long operations, double warmupSeconds, double idleSeconds)
    {
        // A bound socket that never reads stands for a StatsD agent: datagrams queue in its buffer, then the
        // kernel drops them, with no ICMP error back, so the sender does what it does against a live agent.
        using var agent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        agent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var statsd = new StatsDSink(new StatsDSinkOptions { Port = ((IPEndPoint)agent.LocalEndPoint!).Port });
        RuntimeProfiler? profiler = name switch
        {
            "none" => null,
            "interval-1s-all-sinks" => Start(TimeSpan.FromSeconds(1), new JsonLinesSink(Stream.Null), new ConsoleSink(TextWriter.Null), new MeterSink()),
            "interval-10ms" => Start(TimeSpan.FromMilliseconds(10), new JsonLinesSink(Stream.Null)),
            "interval-10ms-statsd" => Start(TimeSpan.FromMilliseconds(10), statsd),
            "interval-10ms-null" => Start(TimeSpan.FromMilliseconds(10), new NullSink()),
            _ => throw new ArgumentException($"Unknown configuration '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
        };

        // Warm the workload's code, and the profiler's, so no configuration pays for the JIT in the measured part.
        long warmupStarted = Stopwatch.GetTimestamp();
        do
        {
            AllocationWorkload.Run(200_000, Environment.ProcessorCount);
        }
        while (Stopwatch.GetElapsedTime(warmupStarted).TotalSeconds < warmupSeconds);

        int gcsBefore = GC.CollectionCount(0);
        TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
        long started = Stopwatch.GetTimestamp();
        if (idleSeconds > 0)
        {
            Thread.Sleep(TimeSpan.FromSeconds(idleSeconds));
        }
        else
        {
            AllocationWorkload.Run(operations, Environment.ProcessorCount);
        }

        double wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        double cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        int gcs = GC.CollectionCount(0) - gcsBefore;
        profiler?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{wall:F4} {cpu:F4} {gcs}"));
        return 0;
    }

    private static RuntimeProfiler Start(TimeSpan interval, params IRuntimeMetricsSink[] sinks)
    {
        var options = new RuntimeProfilerOptions { Interval = interval };
        foreach (IRuntimeMetricsSink sink in sinks)
        {
            options.Sinks.Add(sink);
        }

        var profiler = new RuntimeProfiler(options);
        profiler.Start();
        return profiler;
    }

    /// <summary>A sink that does nothing: what is left is the sampling and the delivery itself.</summary>
    private sealed class NullSink : IRuntimeMetricsSink
    {
        public ValueTask WriteAsync(Model.RuntimeSnapshot snapshot, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
