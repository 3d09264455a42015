using System.Diagnostics;
using System.Text;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>
/// A real process under test: its stdout and stderr collected line by line, its stdin writable, signals sent
/// with kill(1). Waits are bounded by generous limits that only a hang reaches; nothing is timed.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public StreamWriter Input => _process.StandardInput;

    public string Output => Join(_output);

    public string Error => Join(_error);

    /// <summary>Starts <paramref name="fileName"/> with the test's environment plus <paramref name="environment"/> (a null value removes a variable).</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        // Through env(1), which execs the command in its place (same PID) with SIGINT and SIGQUIT at their
        // defaults, as in a terminal: a test runner started in the background by a shell without job control
        // ignores both, children inherit that, and the runtime rightly leaves an ignored SIGINT ignored.
        var start = new ProcessStartInfo("env")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--default-signal=INT,QUIT");
        start.ArgumentList.Add(fileName);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host may itself run with a startup hook or profiler variables: the child starts clean.
        start.Environment.Remove("DOTNET_STARTUP_HOOKS");
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("RUNTIMEPROFILER_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Collect(child._output, child._outputClosed, e.Data);
        process.ErrorDataReceived += (_, e) => child.Collect(child._error, child._errorClosed, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntilExecuted(process);
        return child;
    }

    /// <summary>
    /// Waits until env(1) has replaced itself with the command: until then the PID still names env, and a test
    /// that reads the process (attach, ps) or signals it would meet env instead.
    /// </summary>
    private static void WaitUntilExecuted(Process process)
    {
        string comm = $"/proc/{process.Id}/comm";
        long started = Stopwatch.GetTimestamp();
        while (!process.HasExited && Stopwatch.GetElapsedTime(started) < Patience)
        {
            try
            {
                if (File.ReadAllText(comm) != "env\n")
                {
                    return;
                }
            }
            catch (IOException)
            {
                // Gone already: nothing left to wait for.
                return;
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>Runs <c>dotnet</c> with an assembly and arguments.</summary>
    public static ChildProcess StartDotnet(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        Start("dotnet", [assembly, .. arguments], environment);

    /// <summary>Waits until a line of stdout matches, and returns it.</summary>
    public Task<string> WaitForOutputLineAsync(Func<string, bool> match) => WaitForLineAsync(_output, _outputClosed, "stdout", match);

    /// <summary>Waits until a line of stderr matches, and returns it.</summary>
    public Task<string> WaitForErrorLineAsync(Func<string, bool> match) => WaitForLineAsync(_error, _errorClosed, "stderr", match);

    /// <summary>Waits for the process to exit and its streams to close; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The process did not exit within {Patience.TotalSeconds} s.\nstdout:\n{Output}\nstderr:\n{Error}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends a signal (TERM, INT, ...) to the process, as kill(1) would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Kills the process (and what it started) by its PID, if it still runs, and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        _changed.Dispose();
    }

    private string Join(List<string> lines)
    {
        lock (_lock)
        {
            return string.Join('\n', lines);
        }
    }

    private async Task<string> WaitForLineAsync(List<string> lines, TaskCompletionSource closed, string stream, Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            lock (_lock)
            {
                string? line = lines.FirstOrDefault(match);
                if (line is not null)
                {
                    return line;
                }

                Assert.False(closed.Task.IsCompleted, $"{stream} closed before the line came.\nstdout:\n{Output}\nstderr:\n{Error}");
            }

            try
            {
                await _changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No such line after {Patience.TotalSeconds} s.\nstdout:\n{Output}\nstderr:\n{Error}");
            }
        }
    }

    private void Collect(List<string> lines, TaskCompletionSource closed, string? line)
    {
        lock (_lock)
        {
            if (line is null)
            {
                closed.TrySetResult();
            }
            else
            {
                lines.Add(line);
            }
        }

        _changed.Release();
    }
}
