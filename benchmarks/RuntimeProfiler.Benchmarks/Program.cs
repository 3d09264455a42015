using BenchmarkDotNet.Running;

// Run all:            dotnet run -c Release --project benchmarks/RuntimeProfiler.Benchmarks -- --filter '*'
// Run one class:      dotnet run -c Release --project benchmarks/RuntimeProfiler.Benchmarks -- --filter '*SampleBenchmarks*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
