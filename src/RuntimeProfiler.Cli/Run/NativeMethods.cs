using System.Runtime.InteropServices;

namespace RuntimeProfiling.Cli.Run;

/// <summary>The few libc calls .NET has no API for: sending a signal, and asking whether we are the terminal's foreground.</summary>
internal static partial class NativeMethods
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigTerm = 15;

    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [LibraryImport("libc", EntryPoint = "getpgrp")]
    public static partial int GetProcessGroup();

    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [LibraryImport("libc", EntryPoint = "tcgetpgrp", SetLastError = true)]
    public static partial int GetTerminalForegroundGroup(int fileDescriptor);
}
