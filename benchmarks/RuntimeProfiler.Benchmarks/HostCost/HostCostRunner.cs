using System.Diagnostics;
using System.Globalization;

namespace RuntimeProfiling.Benchmarks.HostCost;

/// <summary>
/// Measures what the profiler costs the application it runs in: the same allocation-heavy workload in a fresh
/// process per run, without the profiler and with each configuration, several runs each, interleaved so drift
/// of the machine affects every configuration alike. Reports throughput and CPU per configuration with the
/// spread, and the ratios against no profiler. Each process first runs the workload under its configuration
/// for a warm-up (5 s by default) that is not counted, as a long-running service's would be. With
/// <c>--idle-seconds S</c> the measured part is an idle process instead: the CPU is then the profiler's own.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/RuntimeProfiler.Benchmarks -- host-cost [--runs N] [--operations N] [--configs a,b] [--warmup-seconds S] [--idle-seconds S]</c>
/// </remarks>
internal static class HostCostRunner
{
    public static int Run(string[] args)
    {
        int runs = IntArg(args, "--runs", 5);
        long operations = IntArg(args, "--operations", 40_000_000);
        string[] configs = (StringArg(args, "--configs") ?? string.Join(',', HostCostConfigurations.Names)).Split(',');
        double warmup = DoubleArg(args, "--warmup-seconds", 5);
        double idle = DoubleArg(args, "--idle-seconds", 0);
        var results = configs.ToDictionary(c => c, _ => new List<(double Seconds, double Cpu, long Gcs)>());
        string self = Environment.ProcessPath!;
        string assembly = typeof(HostCostRunner).Assembly.Location;

        string measured = idle > 0 ? $"{idle} s idle" : $"{operations:N0} operations";
        Console.WriteLine($"host-cost: {runs} runs x {configs.Length} configurations, {warmup} s warm-up then {measured} each, {Environment.ProcessorCount} cores");
        for (int run = 0; run < runs; run++)
        {
            foreach (string config in configs)
            {
                var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
                if (!self.EndsWith("dotnet", StringComparison.Ordinal) || !File.Exists(assembly))
                {
                    start.ArgumentList.Add("host-cost-child");
                }
                else
                {
                    start.ArgumentList.Add(assembly);
                    start.ArgumentList.Add("host-cost-child");
                }

                start.ArgumentList.Add(config);
                start.ArgumentList.Add(operations.ToString(CultureInfo.InvariantCulture));
                start.ArgumentList.Add(warmup.ToString(CultureInfo.InvariantCulture));
                start.ArgumentList.Add(idle.ToString(CultureInfo.InvariantCulture));
                using Process child = Process.Start(start)!;
                string output = child.StandardOutput.ReadToEnd();
                child.WaitForExit();
                string[] parts = output.Trim().Split(' ');
                results[config].Add((double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
                Console.WriteLine($"  run {run + 1} {config,-28} {parts[0]} s wall, {parts[1]} s CPU, {parts[2]} GCs");
            }
        }

        if (idle > 0)
        {
            PrintIdle(configs, results, idle);
            return 0;
        }

        double baseWall = Median(results[configs[0]].Select(r => r.Seconds));
        double baseCpu = Median(results[configs[0]].Select(r => r.Cpu));
        Console.WriteLine();
        Console.WriteLine("| configuration | throughput (Mops/s), median [min-max] | CPU s, median [min-max] | GCs, median | throughput vs none | CPU vs none |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (string config in configs)
        {
            List<(double Seconds, double Cpu, long Gcs)> r = results[config];
            double[] throughput = [.. r.Select(x => operations / x.Seconds / 1e6)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {config} | {Median(throughput):F2} [{throughput.Min():F2}-{throughput.Max():F2}] | {Median(r.Select(x => x.Cpu)):F2} [{r.Min(x => x.Cpu):F2}-{r.Max(x => x.Cpu):F2}] | {Median(r.Select(x => (double)x.Gcs)):F0} | {baseWall / Median(r.Select(x => x.Seconds)):F4} | {Median(r.Select(x => x.Cpu)) / baseCpu:F4} |"));
        }

        return 0;
    }

    private static void PrintIdle(string[] configs, Dictionary<string, List<(double Seconds, double Cpu, long Gcs)>> results, double idle)
    {
        Console.WriteLine();
        Console.WriteLine("| configuration | CPU in the idle window, median [min-max] | share of one core |");
        Console.WriteLine("|---|---|---|");
        foreach (string config in configs)
        {
            double[] cpu = [.. results[config].Select(r => r.Cpu)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {config} | {Median(cpu) * 1000:F1} ms [{cpu.Min() * 1000:F1}-{cpu.Max() * 1000:F1}] | {Median(cpu) / idle:P2} |"));
        }
    }

    private static double DoubleArg(string[] args, string name, double fallback) =>
        StringArg(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int IntArg(string[] args, string name, int fallback) =>
        StringArg(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? StringArg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
