using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Meter;

namespace RuntimeProfiling.Hosting.Tests;

public sealed class RuntimeProfilerHostingTests
{
    [Fact]
    public async Task Configuration_Alone_Starts_The_Sinks_With_The_Host()
    {
        string path = HostFixture.TempFile();
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Interval"] = "00:00:00.050", ["RuntimeProfiler:Sinks:Json:Output"] = path, ["RuntimeProfiler:Sinks:Json:Naming"] = "original" },
            services => services.AddRuntimeProfiler());
        await host.StartAsync();
        await HostFixture.WaitForAsync(() => HostFixture.Lines(path).Length >= 2);
        await host.StopAsync();

        using JsonDocument last = JsonDocument.Parse(HostFixture.Lines(path)[^1]);
        Assert.Contains(last.RootElement.GetProperty("metrics").EnumerateArray(), m => m.GetProperty("name").GetString() == "runtime.gc.count");
        File.Delete(path);
    }

    [Fact]
    public async Task Stopping_The_Host_Flushes_A_Last_Sample_And_Nothing_After()
    {
        string path = HostFixture.TempFile();
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Interval"] = "01:00:00", ["RuntimeProfiler:Sinks:Json:Output"] = path },
            services => services.AddRuntimeProfiler());
        await host.StartAsync();
        Assert.Empty(HostFixture.Lines(path));
        await host.StopAsync();

        // No tick came within the hour-long interval: the one line is the flush on stop.
        string[] lines = HostFixture.Lines(path);
        Assert.Single(lines);
        using JsonDocument line = JsonDocument.Parse(lines[0]);
        Assert.Equal(1, line.RootElement.GetProperty("sequence").GetInt64());
        File.Delete(path);
    }

    [Fact]
    public async Task Sinks_Added_In_Code_Run_With_Configuration_Settings()
    {
        string path = HostFixture.TempFile();
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Interval"] = "00:00:00.020" },
            services => services.AddRuntimeProfiler(b => b.AddJsonLines(o => o.Output = path)));
        await host.StartAsync();
        await HostFixture.WaitForAsync(() => HostFixture.Lines(path).Length >= 3);
        await host.StopAsync();
        using JsonDocument line = JsonDocument.Parse(HostFixture.Lines(path)[0]);
        Assert.Contains(line.RootElement.GetProperty("metrics").EnumerateArray(), m => m.GetProperty("name").GetString() == "dotnet.gc.collections");
        File.Delete(path);
    }

    [Fact]
    public async Task The_Meter_Sink_Publishes_The_RuntimeProfiler_Meter_Through_The_Hosts_Meter_Factory()
    {
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Interval"] = "00:00:00.020" },
            services => services.AddRuntimeProfiler(b => b.AddMeter()));
        var seen = new HashSet<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MeterSink.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => seen.Add(instrument.Name));
        listener.Start();

        await host.StartAsync();
        MeterSink sink = host.Services.GetRequiredService<MeterSink>();
        await HostFixture.WaitForAsync(() =>
        {
            listener.RecordObservableInstruments();
            return seen.Contains("dotnet.gc.heap.total_allocated");
        });
        Assert.Same(sink.Meter, host.Services.GetRequiredService<MeterSink>().Meter);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_Sink_That_Fails_Every_Tick_Is_Logged_Once_Per_Interval_With_The_Count()
    {
        var logs = new LogCollector();
        var failing = new FailingSink();
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Interval"] = "00:00:00.010", ["RuntimeProfiler:SinkErrorLogInterval"] = "01:00:00" },
            services =>
            {
                services.AddRuntimeProfiler(b =>
                {
                    SinkRegistry registry = RuntimeProfilerServiceCollectionExtensions.GetRegistry(b.Services);
                    registry.Register(new SinkDescriptor("Failing", _ => new SinkInstance(failing, null)));
                    registry.Enable("Failing");
                });
            },
            logs);
        await host.StartAsync();
        await HostFixture.WaitForAsync(() => failing.Calls >= 10);
        await host.StopAsync();

        var failures = logs.Entries.Where(e => e.Id.Id == 3).ToList();
        Assert.Single(failures);
        Assert.Contains("Failing", failures[0].Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(failures[0].Exception);
        Assert.Contains(logs.Entries, e => e.Id.Id == 1 && e.Message.Contains("Failing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Sink_That_Cannot_Be_Built_Fails_The_Start_Naming_Its_Key_And_Leaves_Nothing_Running()
    {
        string badPath = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "out.jsonl");
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:Console:Enabled"] = "true", ["RuntimeProfiler:Sinks:Json:Output"] = badPath },
            services => services.AddRuntimeProfiler());
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.StartsWith("RuntimeProfiler:Sinks:Json: ", e.Message, StringComparison.Ordinal);
        Assert.Null(host.Services.GetServices<IHostedService>().OfType<RuntimeProfilerHostedService>().Single().Profiler);
    }

    private sealed class FailingSink : IRuntimeMetricsSink
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("down");
        }
    }
}
