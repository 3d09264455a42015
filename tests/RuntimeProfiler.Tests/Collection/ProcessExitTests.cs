using System.Diagnostics;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Tests.Collection;

/// <summary>
/// The process exits cleanly while the profiler runs and every pause is being captured, with collections
/// still running on another thread: checked in a child process (this test assembly, run for one test).
/// </summary>
[Collection(SerialTestGroup.Name)]
public sealed class ProcessExitTests
{
    private const string ChildVariable = "RUNTIMEPROFILER_EXIT_CHILD";
    private const int ChildExitCode = 37;

    [Fact]
    public async Task The_Process_Exits_Cleanly_While_Every_Pause_Is_Being_Captured()
    {
        string host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(ProcessExitTests).Assembly.Location);
        }

        // Started directly, the test assembly runs xunit's own console runner, which takes -method.
        start.ArgumentList.Add("-method");
        start.ArgumentList.Add("*." + nameof(Child_Exits_While_The_Profiler_Captures_Every_Pause));
        start.Environment[ChildVariable] = "1";
        using Process child = Process.Start(start)!;
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        Task<string> error = child.StandardError.ReadToEndAsync();
        // A generous limit: a hang at exit is the failure this looks for, not slowness. A synchronous wait
        // leaves no timer behind for the tests that count timers after this one.
        bool exited = child.WaitForExit(TimeSpan.FromMinutes(2));
        if (!exited)
        {
            child.Kill(entireProcessTree: true);
        }

        Assert.True(exited, "the child did not exit");

        string stdout = await output;
        Assert.True(ChildExitCode == child.ExitCode, $"exit code {child.ExitCode}\n{stdout}\n{await error}");
        Assert.Contains("capturing, collections recorded: ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Child_Exits_While_The_Profiler_Captures_Every_Pause()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable(ChildVariable) == "1", "Runs only as the child process of " + nameof(The_Process_Exits_Cleanly_While_Every_Pause_Is_Being_Captured) + ".");
        var sampler = new RuntimeSampler(TimeProvider.System);
        var options = new RuntimeProfilerOptions { Interval = RuntimeProfiler.MinimumInterval };
        options.Sinks.Add(new NullSink());
        var profiler = new RuntimeProfiler(options, TimeProvider.System, sampler);
        profiler.Start();
        // Collections driven by allocation until the exit (see AllocationLoad: forced ones back to back would
        // starve the finalizer thread on this machine, and the capture with it).
        _ = AllocationLoad.Run(CancellationToken.None);
        while (sampler.Pauses.Recorded < 100)
        {
            await Task.Delay(10);
        }

        Console.WriteLine("capturing, collections recorded: " + sampler.Pauses.Recorded);
        Console.Out.Flush();
        Environment.Exit(ChildExitCode);
    }

    private sealed class NullSink : IRuntimeMetricsSink
    {
        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
