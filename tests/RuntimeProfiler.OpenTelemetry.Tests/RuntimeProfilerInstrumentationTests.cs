using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using RuntimeProfiling.Hosting;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Meter;

namespace RuntimeProfiling.OpenTelemetry.Tests;

public sealed class RuntimeProfilerInstrumentationTests
{
    [Fact]
    public void The_In_Memory_Exporter_Sees_Every_Catalog_Figure_With_Its_Unit_And_Kind()
    {
        var exported = new List<Metric>();
        using (MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddRuntimeProfilerInstrumentation()
            .AddInMemoryExporter(exported)
            .Build())
        {
            GC.Collect();
            Assert.True(provider.ForceFlush());
        }

        Dictionary<string, Metric> byName = exported.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
        foreach (IGrouping<string, MetricSeries> family in RuntimeMetricCatalog.Series.Where(s => s.Kind != MetricKind.Histogram).GroupBy(s => s.Name))
        {
            MetricSeries series = family.First();
            if (series.Group == MetricGroup.Profiler || series.Name == "dotnet.gc.pause.ratio")
            {
                // Health figures exist only when a profiler loop feeds the sink; the pause ratio needs two samples.
                continue;
            }

            Assert.True(byName.TryGetValue(series.Name, out Metric? metric), $"{series.Name} was not exported");
            Assert.Equal(MeterSink.MeterName, metric.MeterName);
            Assert.Equal(series.Unit, metric.Unit);
            Assert.Equal(series.Description, metric.Description);
            Assert.Equal(series.Kind == MetricKind.Counter ? MetricType.DoubleSum : MetricType.DoubleGauge, metric.MetricType);
            Assert.Equal(family.Count(), CountPoints(metric));
        }
    }

    [Fact]
    public void Counters_Are_Monotonic_Totals_And_Attributes_Carry_The_Generation()
    {
        var exported = new List<Metric>();
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddRuntimeProfilerInstrumentation()
            .AddInMemoryExporter(exported)
            .Build();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        provider.ForceFlush();

        Metric collections = exported.Last(m => m.Name == "dotnet.gc.collections");
        var generations = new Dictionary<string, double>();
        foreach (ref readonly MetricPoint point in collections.GetMetricPoints())
        {
            foreach (KeyValuePair<string, object?> tag in point.Tags)
            {
                Assert.Equal("gc.heap.generation", tag.Key);
                generations[(string)tag.Value!] = point.GetSumDouble();
            }
        }

        Assert.Equal(["gen0", "gen1", "gen2"], generations.Keys.Order());
        Assert.True(generations["gen2"] >= 1);
        Assert.Equal(GC.CollectionCount(0), generations.Values.Sum(), 0);
    }

    [Fact]
    public async Task In_A_Host_The_Instrumentation_Shares_The_Profilers_Meter_Sink()
    {
        var exported = new List<Metric>();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["RuntimeProfiler:Interval"] = "00:00:00.050";
        builder.Services.AddRuntimeProfiler(b => b.AddMeter());
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddRuntimeProfilerInstrumentation().AddInMemoryExporter(exported));
        using IHost host = builder.Build();
        await host.StartAsync();

        MeterSink sink = host.Services.GetRequiredService<MeterSink>();
        MeterProvider provider = host.Services.GetRequiredService<MeterProvider>();
        for (int i = 0; i < 3000 && !exported.Any(m => m.Name == "runtime_profiler.sample.duration"); i++)
        {
            provider.ForceFlush();
            await Task.Delay(10);
        }

        await host.StopAsync();

        // The profiler loop fed the shared sink: its own health figures were exported, from the one meter.
        Assert.Contains(exported, m => m.Name == "runtime_profiler.sample.duration");
        Assert.Single(exported.Select(m => m.MeterName).Distinct());
        Assert.Same(sink, host.Services.GetRequiredService<MeterSink>());
    }

    private static int CountPoints(Metric metric)
    {
        int count = 0;
        foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
        {
            _ = point;
            count++;
        }

        return count;
    }
}
