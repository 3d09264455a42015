using System.Text.Json;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Sinks.Json;

namespace RuntimeProfiling.Agent.Tests;

public sealed class AgentSinksTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agent-sinks-").FullName;

    [Fact]
    public async Task A_File_Output_Replaces_The_Pid_And_Appends()
    {
        string template = Path.Combine(_folder, "samples-{pid}.jsonl");
        string expected = Path.Combine(_folder, "samples-4242.jsonl");
        File.WriteAllText(expected, "earlier\n");
        Assert.True(AgentSettings.TryParse(new Dictionary<string, string> { ["RUNTIMEPROFILER_FORMAT"] = "json", ["RUNTIMEPROFILER_OUTPUT"] = template }, out AgentSettings? settings, out string error), error);

        using (AgentSinks sinks = AgentSinks.Open(settings, 4242))
        {
            List<IRuntimeMetricsSink> created = sinks.CreateSinks();
            Assert.IsType<JsonLinesSink>(Assert.Single(created));

            // Stopping takes one last sample and hands it to the sinks, whatever the interval.
            await using var profiler = new RuntimeProfiler(created, TimeSpan.FromHours(1));
            profiler.Start();
            await profiler.StopAsync();
        }

        string[] lines = File.ReadAllLines(expected);
        Assert.Equal("earlier", lines[0]);
        using var document = JsonDocument.Parse(lines[1]);
        Assert.Equal(1, document.RootElement.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task A_Table_In_A_File_Is_Flushed_And_Closed_Without_Error()
    {
        // Regression: the writer was disposed after its stream, and the flush threw into the app's exit.
        string path = Path.Combine(_folder, "table.txt");
        Assert.True(AgentSettings.TryParse(new Dictionary<string, string> { ["RUNTIMEPROFILER_OUTPUT"] = path }, out AgentSettings? settings, out _));
        AgentSinks sinks = AgentSinks.Open(settings, 1);
        await using (var profiler = new RuntimeProfiler(sinks.CreateSinks(), TimeSpan.FromHours(1)))
        {
            profiler.Start();
            await profiler.StopAsync();
        }

        sinks.Dispose();
        Assert.Contains("dotnet.gc.collections", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_File_That_Cannot_Be_Opened_Throws_Before_Anything_Starts()
    {
        Assert.True(AgentSettings.TryParse(new Dictionary<string, string> { ["RUNTIMEPROFILER_OUTPUT"] = Path.Combine(_folder, "missing", "x.txt") }, out AgentSettings? settings, out _));
        Assert.Throws<DirectoryNotFoundException>(() => AgentSinks.Open(settings, 1));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
