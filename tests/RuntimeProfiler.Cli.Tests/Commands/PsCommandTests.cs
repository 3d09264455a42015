using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Cli.Tests.Commands;

/// <summary>runtime-profiler ps, as a process with a temp folder of its own, so only the test's sockets are in it.</summary>
public sealed class PsCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ps-").FullName;

    [Fact]
    public async Task Ps_Lists_Live_Dotnet_Processes_And_Skips_Sockets_Left_By_Dead_Ones()
    {
        var environment = new Dictionary<string, string?> { ["TMPDIR"] = _temp };
        await using ChildProcess app = ChildProcess.StartDotnet(TestArtifacts.SampleApp, ["serve"], environment);
        await app.WaitForOutputLineAsync(line => line.StartsWith("ready ", StringComparison.Ordinal));
        await using ChildProcess gone = ChildProcess.Start("true", []);
        await gone.WaitForExitAsync();

        // What killed processes leave behind: a socket of a dead pid, and one of a live pid whose key (start time) is not its own.
        await File.WriteAllTextAsync(Path.Combine(_temp, $"dotnet-diagnostic-{gone.Id}-12345-socket"), string.Empty);
        await File.WriteAllTextAsync(Path.Combine(_temp, $"dotnet-diagnostic-{Environment.ProcessId}-1-socket"), string.Empty);

        await using ChildProcess ps = ChildProcess.StartDotnet(TestArtifacts.Cli, ["ps"], environment);

        Assert.Equal(0, await ps.WaitForExitAsync());
        string[] lines = ps.Output.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\s+PID\s+NAME\s+COMMAND$", lines[0]);
        Assert.Matches($@"^\s+{app.Id}\s+dotnet\s+dotnet /", lines[1]);
    }

    [Fact]
    public async Task Ps_Says_So_When_There_Is_Nothing_To_Attach_To()
    {
        // ps itself opens a diagnostic socket in that folder: it does not list itself.
        await using ChildProcess ps = ChildProcess.StartDotnet(TestArtifacts.Cli, ["ps"], new Dictionary<string, string?> { ["TMPDIR"] = _temp });

        Assert.Equal(0, await ps.WaitForExitAsync());
        Assert.Equal($"no .NET process to attach to (no live diagnostic socket in {_temp}/)", ps.Output);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
