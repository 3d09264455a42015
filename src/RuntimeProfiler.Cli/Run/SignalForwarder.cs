using System.Runtime.InteropServices;

namespace RuntimeProfiling.Cli.Run;

/// <summary>
/// Keeps the CLI alive through Ctrl+C, SIGTERM, SIGQUIT and SIGHUP while the child runs, and passes each
/// signal on to the child, so the child decides how to end and its exit code is what the CLI returns.
/// </summary>
/// <remarks>
/// A terminal sends Ctrl+C (SIGINT), Ctrl+\ (SIGQUIT) and a hang-up to its whole foreground process group,
/// the child included: when the CLI is that foreground group, those are not sent again (a second Ctrl+C
/// means "kill now" to many apps). SIGTERM comes from <c>kill</c>, a supervisor or a container runtime,
/// to the CLI alone, and is always passed on.
/// </remarks>
internal sealed class SignalForwarder : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Lock _lock = new();
    private readonly List<PosixSignal> _pending = [];
    private int _childId;

    public SignalForwarder()
    {
        PosixSignal[] signals = OperatingSystem.IsWindows()
            ? [PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGTERM]
            : [PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];
        foreach (PosixSignal signal in signals)
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, Handle));
        }
    }

    /// <summary>Sets the child that signals go to, and sends it those that arrived while it was starting.</summary>
    public void Attach(int childId)
    {
        PosixSignal[] pending;
        lock (_lock)
        {
            _childId = childId;
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (PosixSignal signal in pending)
        {
            Send(childId, signal);
        }
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private static bool TerminalSentItToTheChildToo(PosixSignal signal)
    {
        if (signal == PosixSignal.SIGTERM)
        {
            return false;
        }

        // The terminal of whichever standard stream is one; -1 from tcgetpgrp means "not a terminal".
        int ownGroup = NativeMethods.GetProcessGroup();
        for (int fd = 0; fd <= 2; fd++)
        {
            int foreground = NativeMethods.GetTerminalForegroundGroup(fd);
            if (foreground > 0)
            {
                return foreground == ownGroup;
            }
        }

        return false;
    }

    private static void Send(int childId, PosixSignal signal)
    {
        int number = signal switch
        {
            PosixSignal.SIGINT => NativeMethods.SigInt,
            PosixSignal.SIGQUIT => NativeMethods.SigQuit,
            PosixSignal.SIGHUP => NativeMethods.SigHup,
            _ => NativeMethods.SigTerm,
        };

        // ESRCH (the child just exited) is the only likely failure, and then there is no one left to tell.
        _ = NativeMethods.Kill(childId, number);
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;

        // On Windows the console delivers Ctrl+C and Ctrl+Break to every process attached to it.
        if (OperatingSystem.IsWindows() || TerminalSentItToTheChildToo(context.Signal))
        {
            return;
        }

        int childId;
        lock (_lock)
        {
            childId = _childId;
            if (childId == 0)
            {
                _pending.Add(context.Signal);
                return;
            }
        }

        Send(childId, context.Signal);
    }
}
