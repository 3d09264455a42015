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
            Assert.IsType<JsonLinesSink>(Assert.Single(sinks.Sinks));

            // Stopping takes one last sample and hands it to the sinks, whatever the interval.
            await using var profiler = new RuntimeProfiler(sinks.Sinks, TimeSpan.FromHours(1));
            profiler.Start();
            await profiler.StopAsync();
        }

        string[] lines = File.ReadAllLines(expected);
        Assert.Equal("earlier", lines[0]);
        using var document = JsonDocument.Parse(lines[1]);
        Assert.Equal(1, document.RootElement.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public void A_File_That_Cannot_Be_Opened_Throws_Before_Anything_Starts()
    {
        Assert.True(AgentSettings.TryParse(new Dictionary<string, string> { ["RUNTIMEPROFILER_OUTPUT"] = Path.Combine(_folder, "missing", "x.txt") }, out AgentSettings? settings, out _));
        Assert.Throws<DirectoryNotFoundException>(() => AgentSinks.Open(settings, 1));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
