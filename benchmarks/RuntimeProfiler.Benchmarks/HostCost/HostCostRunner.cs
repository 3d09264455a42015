using System.Diagnostics;
using System.Globalization;

namespace RuntimeProfiling.Benchmarks.HostCost;

/// <summary>
/// Measures what the profiler costs the application it runs in: the same allocation-heavy workload in a fresh
/// process per run, without the profiler and with each configuration, several runs each, interleaved so drift
/// of the machine affects every configuration alike. Reports throughput and CPU per configuration with the
/// spread, and the ratios against no profiler.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/RuntimeProfiler.Benchmarks -- host-cost [--runs N] [--operations N] [--configs a,b]</c>
/// </remarks>
internal static class HostCostRunner
{
    public static int Run(string[] args)
    {
        int runs = IntArg(args, "--runs", 5);
        long operations = IntArg(args, "--operations", 40_000_000);
        string[] configs = (StringArg(args, "--configs") ?? string.Join(',', HostCostConfigurations.Names)).Split(',');
        var results = configs.ToDictionary(c => c, _ => new List<(double Seconds, double Cpu, long Gcs)>());
        string self = Environment.ProcessPath!;
        string assembly = typeof(HostCostRunner).Assembly.Location;

        Console.WriteLine($"host-cost: {runs} runs x {configs.Length} configurations, {operations:N0} operations each, {Environment.ProcessorCount} cores");
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
                using Process child = Process.Start(start)!;
                string output = child.StandardOutput.ReadToEnd();
                child.WaitForExit();
                string[] parts = output.Trim().Split(' ');
                results[config].Add((double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
                Console.WriteLine($"  run {run + 1} {config,-28} {parts[0]} s wall, {parts[1]} s CPU, {parts[2]} GCs");
            }
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
