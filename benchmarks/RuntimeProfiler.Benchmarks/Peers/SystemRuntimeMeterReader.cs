using System.Diagnostics.Metrics;

namespace RuntimeProfiling.Benchmarks.Peers;

/// <summary>The runtime's own <c>System.Runtime</c> meter, collected the way a listener does: one RecordObservableInstruments.</summary>
internal sealed class SystemRuntimeMeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private double _sum;

    public SystemRuntimeMeterReader()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Runtime")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _sum += value);
        _listener.SetMeasurementEventCallback<int>((_, value, _, _) => _sum += value);
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _sum += value);
        _listener.Start();
    }

    public double Collect()
    {
        _listener.RecordObservableInstruments();
        return _sum;
    }

    public void Dispose() => _listener.Dispose();
}
