using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Meter;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.Meter;

public sealed class MeterSinkTests
{
    private static readonly MeterSinkOptions s_fedOnly = new() { MaximumSampleAge = Timeout.InfiniteTimeSpan };

    [Fact]
    public async Task A_Listener_Sees_Every_Catalog_Figure_With_Its_Unit_Kind_Attributes_And_Value()
    {
        using var sink = new MeterSink(s_fedOnly);
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        await sink.WriteAsync(snapshot, CancellationToken.None);
        using var recorder = new MeterRecorder(sink.Meter);
        recorder.Collect();

        foreach (MetricSeries series in RuntimeMetricCatalog.Series.Where(s => s.Kind != MetricKind.Histogram))
        {
            Instrument instrument = recorder.Instruments[series.Name];
            Assert.Equal(series.Unit, instrument.Unit);
            Assert.Equal(series.Description, instrument.Description);
            Assert.IsType(series.Kind == MetricKind.Counter ? typeof(ObservableCounter<double>) : typeof(ObservableGauge<double>), instrument);
            string key = MeterRecorder.Key(series.Name, series.Attributes.Select(a => a.Value));
            Assert.True(snapshot.TryGetValue(series, out double expected));
            Assert.Equal(expected, recorder.Values[key]);
        }

        Assert.Equal(RuntimeMetricCatalog.Series.Count(s => s.Kind != MetricKind.Histogram), recorder.Values.Count);
    }

    [Fact]
    public async Task Figures_Without_A_Value_Are_Not_Observed_And_Nothing_Is_Before_The_First_Sample()
    {
        using var sink = new MeterSink(s_fedOnly);
        using var recorder = new MeterRecorder(sink.Meter);
        recorder.Collect();
        Assert.Empty(recorder.Values);

        await sink.WriteAsync(SnapshotFactory.BeforeFirstGc(), CancellationToken.None);
        recorder.Collect();
        Assert.DoesNotContain(recorder.Values.Keys, k => k.Contains("last_collection", StringComparison.Ordinal));
        Assert.Contains(recorder.Values.Keys, k => k.StartsWith("dotnet.gc.collections", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Observing_Allocates_Nothing_Beyond_The_Runtime_Copies_Of_Measurement_Tags()
    {
        using var sink = new MeterSink(s_fedOnly);
        await sink.WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        using var recorder = new MeterRecorder(sink.Meter, keepValues: false);
        int tagged = RuntimeMetricCatalog.Series.Count(s => s.Kind != MetricKind.Histogram && s.Attributes.Count > 0);
        for (int i = 0; i < 10; i++)
        {
            recorder.Collect();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        recorder.Collect();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The runtime's Measurement<T> copies its tags into a new array (40 B for one tag); nothing else may allocate.
        Assert.InRange(allocated, 0, tagged * 40);
    }

    [Fact]
    public void Without_A_Profiler_The_Sink_Samples_When_Observed_And_Its_Latest_Sample_Is_Too_Old()
    {
        var clock = new FakeTimeProvider();
        using var sink = new MeterSink(new MeterSinkOptions { MaximumSampleAge = TimeSpan.FromSeconds(1) }, clock);
        using var recorder = new MeterRecorder(sink.Meter);
        recorder.Collect();
        double first = recorder.Values["dotnet.gc.heap.total_allocated|"];
        Assert.True(first > 0);

        // Within the age limit the same sample serves; past it, a fresh one is read.
        _ = new byte[64 * 1024];
        clock.Advance(TimeSpan.FromMilliseconds(500));
        recorder.Collect();
        Assert.Equal(first, recorder.Values["dotnet.gc.heap.total_allocated|"]);
        clock.Advance(TimeSpan.FromMilliseconds(600));
        recorder.Collect();
        Assert.True(recorder.Values["dotnet.gc.heap.total_allocated|"] > first);
    }

    [Fact]
    public void A_Negative_Maximum_Sample_Age_Is_Rejected()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new MeterSink(new MeterSinkOptions { MaximumSampleAge = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("options", e.ParamName);
    }

    [Fact]
    public void The_Meter_Is_Named_RuntimeProfiler_And_Disposed_With_The_Sink_Unless_A_Factory_Owns_It()
    {
        var sink = new MeterSink();
        Assert.Equal("RuntimeProfiler", sink.Meter.Name);
        using var recorder = new MeterRecorder(sink.Meter);
        Assert.NotEmpty(recorder.Instruments);
        sink.Dispose();
        Assert.True(recorder.Unpublished > 0);
    }

    /// <summary>A MeterListener that records the latest value of every series of one meter.</summary>
    private sealed class MeterRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly bool _keepValues;

        public MeterRecorder(System.Diagnostics.Metrics.Meter meter, bool keepValues = true)
        {
            _keepValues = keepValues;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    Instruments[instrument.Name] = instrument;
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.MeasurementsCompleted = (_, _) => Unpublished++;
            _listener.SetMeasurementEventCallback<double>(OnMeasurement);
            _listener.Start();
        }

        public Dictionary<string, Instrument> Instruments { get; } = [];

        public Dictionary<string, double> Values { get; } = [];

        public int Unpublished { get; private set; }

        public static string Key(string name, IEnumerable<string?> attributeValues) => name + "|" + string.Join(",", attributeValues);

        public void Collect()
        {
            if (_keepValues)
            {
                Values.Clear();
            }

            _listener.RecordObservableInstruments();
        }

        public void Dispose() => _listener.Dispose();

        private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            if (!_keepValues)
            {
                return;
            }

            var values = new List<string?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                values.Add(tag.Value as string);
            }

            Values[Key(instrument.Name, values)] = value;
        }
    }
}
