namespace RuntimeProfiling.Cli;

/// <summary>A failure the user can act on: reported as one line on stderr with its exit code, never as a stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, int exitCode = CliApp.Failure)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; } = CliApp.Failure;
}
