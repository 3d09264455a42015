using System.Text.Json;

namespace RuntimeProfiling.Cli.Tests.Commands;

public sealed class DemoCommandTests
{
    [Theory]
    [InlineData("demo", "--bogus")]
    [InlineData("demo", "--interval", "-1s")]
    [InlineData("demo", "--interval", "5ms")]
    [InlineData("demo", "--format", "xml")]
    [InlineData("demo", "--names", "statsd")]
    [InlineData("demo", "--duration", "soon")]
    [InlineData("launch")]
    [InlineData("demo", "--prometheus", "nonsense")]
    [InlineData("demo", "--prometheus", "127.0.0.1:0")]
    [InlineData("demo", "--prometheus", "127.0.0.1:99999")]
    [InlineData("demo", "--prometheus", "metrics.example:9464")]
    [InlineData("demo", "--prometheus", "::1:9464")]
    public async Task Bad_Usage_Gets_One_Line_On_Stderr_And_Exit_Code_2(params string[] args)
    {
        (int exitCode, string output, string error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        string[] lines = error.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("runtime-profiler: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_In_Json_Prints_One_Sample_Per_Line()
    {
        (int exitCode, string output, string error) = await RunAsync("demo", "--interval", "100ms", "--duration", "1s", "--format", "json");
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.InRange(lines.Length, 3, 12);
        long previous = 0;
        foreach (string line in lines)
        {
            using var document = JsonDocument.Parse(line);
            long sequence = document.RootElement.GetProperty("sequence").GetInt64();
            Assert.Equal(previous + 1, sequence);
            previous = sequence;
            Assert.True(document.RootElement.GetProperty("metrics").GetArrayLength() > 20);
        }
    }

    [Fact]
    public async Task Demo_With_Original_Names_Prints_The_Go_Names()
    {
        (int exitCode, string output, _) = await RunAsync("demo", "--interval", "100ms", "--duration", "500ms", "--names", "original");
        Assert.Equal(0, exitCode);
        Assert.Contains("runtime.mem.heap.alloc_bytes", output, StringComparison.Ordinal);
        Assert.Contains("runtime.gc.pause_total_ns", output, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet.gc.collections", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_Stops_The_Demo_Cleanly_After_The_Sample_In_Flight()
    {
        using var cancel = new CancellationTokenSource();
        using var output = new ConcurrentStringWriter();
        using var error = new StringWriter();
        Task<int> running = CliApp.RunAsync(["demo", "--interval", "100ms", "--duration", "0", "--format", "json"], output, error, handleProcessSignals: false, cancel.Token);
        while (!output.Text.Contains('\n', StringComparison.Ordinal))
        {
            Assert.False(running.IsCompleted, "The demo ended before printing a sample: " + error);
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(string.Empty, error.ToString());
        Assert.EndsWith("\n", output.Text, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await CliApp.RunAsync(args, output, error, handleProcessSignals: false);
        return (exitCode, output.ToString(), error.ToString());
    }
}
