using System.Globalization;
using BenchmarkDotNet.Running;
using RuntimeProfiling.Benchmarks.GcCapture;
using RuntimeProfiling.Benchmarks.HostCost;
using RuntimeProfiling.Benchmarks.ScrapeLoad;

// Run all:            dotnet run -c Release --project benchmarks/RuntimeProfiler.Benchmarks -- --filter '*'
// Run one class:      dotnet run -c Release --project benchmarks/RuntimeProfiler.Benchmarks -- --filter '*SampleBenchmarks*'
// Cost to the host:   dotnet run -c Release --project benchmarks/RuntimeProfiler.Benchmarks -- host-cost --runs 5
//                     (--idle-seconds 10: the profiler's own CPU in an idle process instead)
// GC capture harness: dotnet run -c Release --project benchmarks/RuntimeProfiler.Benchmarks -- gc-capture --mode sentinel
//                     (see GcCaptureHarness and benchmarks/gc-capture.sh)
// Scrape load:        benchmarks/scrape-load.sh (runs `scrape-target` under wrk)
if (args.Length > 0 && args[0] == "host-cost")
{
    return HostCostRunner.Run(args);
}

if (args.Length == 5 && args[0] == "host-cost-child")
{
    return HostCostConfigurations.RunChild(
        args[1],
        long.Parse(args[2], CultureInfo.InvariantCulture),
        double.Parse(args[3], CultureInfo.InvariantCulture),
        double.Parse(args[4], CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == "scrape-target")
{
    return ScrapeTarget.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "gc-capture")
{
    return GcCaptureHarness.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
