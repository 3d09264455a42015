using System.ComponentModel;
using System.Diagnostics;
using RuntimeProfiling.Agent;

// Process is banned for sampling, where its reads are costly; this file starts and waits for the app, once.
#pragma warning disable RS0030

namespace RuntimeProfiling.Cli.Run;

/// <summary>
/// Starts a command with the startup hook and the profiler's variables in its environment (its own, never
/// the CLI's), its standard streams inherited untouched, and waits for it; tells whether it loaded the hook.
/// </summary>
internal sealed class ProfiledProcess
{
    /// <summary>How long a child may run before the CLI says it has not loaded the profiler: the hook runs before Main, within a second or so.</summary>
    public static readonly TimeSpan LoadNotice = TimeSpan.FromSeconds(10);

    private const int CommandNotFound = 127;
    private const int CommandNotExecutable = 126;
    private const int ErrorNoEntry = 2;
    private const int ErrorAccess = 13;

    private readonly IReadOnlyList<string> _command;
    private readonly IReadOnlyDictionary<string, string?> _variables;
    private readonly TextWriter _error;

    public ProfiledProcess(IReadOnlyList<string> command, IReadOnlyDictionary<string, string?> variables, TextWriter error)
    {
        _command = command;
        _variables = variables;
        _error = error;
    }

    private string Display => Path.GetFileName(_command[0]);

    /// <summary>Runs the command to its end and returns its exit code (128 + n when a signal n ended it).</summary>
    /// <param name="forwarder">Passes the CLI's signals to the child; <see langword="null"/> when the host handles signals (tests).</param>
    /// <param name="cancellationToken">Sends the child SIGTERM, as a signal to the CLI would; the wait goes on until it exits.</param>
    /// <exception cref="CliException">The command cannot be started.</exception>
    public async Task<int> RunAsync(SignalForwarder? forwarder, CancellationToken cancellationToken)
    {
        string statusFile = Path.Combine(Path.GetTempPath(), $"runtime-profiler-{Environment.ProcessId}-{Guid.NewGuid():N}.status");
        try
        {
            using var process = new Process { StartInfo = CreateStartInfo(statusFile) };
            StartOrThrow(process);
            forwarder?.Attach(process.Id);
            using CancellationTokenRegistration onCancel = cancellationToken.Register(static state => _ = NativeMethods.Kill((int)state!, NativeMethods.SigTerm), process.Id);

            using var noticeCancel = new CancellationTokenSource();
            Task<bool> notice = NoticeIfNotLoadedAsync(statusFile, noticeCancel.Token);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await noticeCancel.CancelAsync().ConfigureAwait(false);
            bool noticed = await notice.ConfigureAwait(false);
            if (!noticed && !File.Exists(statusFile))
            {
                await _error.WriteLineAsync($"runtime-profiler: '{Display}' exited without loading the profiler: {NotLoadedReason}").ConfigureAwait(false);
            }

            return process.ExitCode;
        }
        finally
        {
            File.Delete(statusFile);
        }
    }

    private static string NotLoadedReason =>
        "it is not a .NET app, or its runtime does not run startup hooks (native AOT, or trimmed with System.StartupHookProvider.IsSupported=false)";

    private ProcessStartInfo CreateStartInfo(string statusFile)
    {
        var start = new ProcessStartInfo(_command[0]) { UseShellExecute = false };
        for (int i = 1; i < _command.Count; i++)
        {
            start.ArgumentList.Add(_command[i]);
        }

        foreach ((string name, string? value) in _variables)
        {
            start.Environment[name] = value;
        }

        start.Environment[AgentVariables.StatusFile] = statusFile;
        return start;
    }

    private void StartOrThrow(Process process)
    {
        try
        {
            process.Start();
        }
        catch (Win32Exception e) when (e.NativeErrorCode == ErrorNoEntry)
        {
            throw new CliException($"'{_command[0]}' was not found (not a file, and not a command on PATH)", CommandNotFound);
        }
        catch (Win32Exception e) when (e.NativeErrorCode == ErrorAccess)
        {
            throw new CliException($"'{_command[0]}' cannot be executed (permission denied, or not an executable file)", CommandNotExecutable);
        }
        catch (Win32Exception e)
        {
            throw new CliException($"'{_command[0]}' cannot be started: {e.Message}", CommandNotExecutable);
        }
    }

    /// <summary>Says once, while the child still runs, that it has not loaded the profiler after <see cref="LoadNotice"/>.</summary>
    /// <returns>Whether it said so.</returns>
    private async Task<bool> NoticeIfNotLoadedAsync(string statusFile, CancellationToken exited)
    {
        try
        {
            await Task.Delay(LoadNotice, exited).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        if (File.Exists(statusFile))
        {
            return false;
        }

        await _error.WriteLineAsync($"runtime-profiler: '{Display}' has not loaded the profiler after {LoadNotice.TotalSeconds:0} s: {NotLoadedReason}").ConfigureAwait(false);
        return true;
    }
}
