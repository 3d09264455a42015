using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Hosting.Tests;

public sealed class SinkErrorLogLimiterTests
{
    [Fact]
    public void A_Sink_Failing_Every_Second_Logs_Once_A_Minute_With_The_Suppressed_Count()
    {
        var clock = new FakeTimeProvider();
        var logs = new LogCollector();
        var limiter = new SinkErrorLogLimiter(logs.CreateLogger("test"), clock, TimeSpan.FromMinutes(1), _ => "Failing");
        var sink = new NoSink();
        var other = new NoSink();
        for (int second = 0; second < 150; second++)
        {
            limiter.Report(sink, new InvalidOperationException("down"));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        limiter.Report(other, new InvalidOperationException("other"));

        string[] messages = [.. logs.Entries.Select(e => e.Message)];
        Assert.Equal(4, messages.Length);
        Assert.Contains("(0 more failures", messages[0], StringComparison.Ordinal);
        Assert.Contains("(59 more failures", messages[1], StringComparison.Ordinal);
        Assert.Contains("(59 more failures", messages[2], StringComparison.Ordinal);
        Assert.Contains("(0 more failures", messages[3], StringComparison.Ordinal);
    }

    private sealed class NoSink : IRuntimeMetricsSink
    {
        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
