using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Collection;

namespace RuntimeProfiling.Tests.Collection;

/// <summary>A profiler on a fake clock, with a way to move time one tick at a time and wait until the sampling thread has set its next timer.</summary>
internal sealed class ProfilerTestHarness : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _scheduled = new(0);

    public ProfilerTestHarness(params IRuntimeMetricsSink[] sinks)
        : this(options => { }, sinks)
    {
    }

    public ProfilerTestHarness(Action<RuntimeProfilerOptions> configure, params IRuntimeMetricsSink[] sinks)
    {
        var options = new RuntimeProfilerOptions { Interval = Interval };
        foreach (IRuntimeMetricsSink sink in sinks)
        {
            options.Sinks.Add(sink);
        }

        configure(options);
        Profiler = new RuntimeProfiler(options, Clock) { TickScheduled = _scheduled };
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    public RuntimeProfiler Profiler { get; }

    /// <summary>
    /// Moves the clock and waits until the tick it triggers has run and the next one is scheduled, and
    /// (unless a test holds a sink on purpose) until every sink is done with the sample.
    /// </summary>
    public async Task AdvanceAndWaitForTickAsync(TimeSpan by, bool waitForSinks = true)
    {
        Clock.Advance(by);
        Assert.True(await _scheduled.WaitAsync(TimeSpan.FromSeconds(30)), "The sampling thread did not run the tick.");
        if (waitForSinks)
        {
            await Profiler.WhenSinksIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public Task TickAsync(bool waitForSinks = true) => AdvanceAndWaitForTickAsync(Interval, waitForSinks);

    public async ValueTask DisposeAsync()
    {
        await Profiler.DisposeAsync();
        _scheduled.Dispose();
    }
}
