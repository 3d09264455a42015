using Microsoft.Diagnostics.Tracing;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Cli.Attach;

/// <content>The meter's events: instruments listed, values published, errors.</content>
internal sealed partial class EventPipeSampleSource
{
    private const int FirstLastCollectionFigure = (int)MetricId.GcLastHeapSizeGen0;
    private const int LastLastCollectionFigure = (int)MetricId.GcLastFragmentationPoh;

    private void OnEvent(TraceEvent e)
    {
        if (!string.Equals(e.ProviderName, SystemRuntimeMeter.ProviderName, StringComparison.Ordinal))
        {
            return;
        }

        // Another tool's session (dotnet-counters, dotnet-monitor) may share the provider: only ours counts.
        string? sessionId = e.PayloadByName("sessionId") as string;
        if (e.EventName == "MultipleSessionsNotSupportedError")
        {
            if (!string.Equals(e.PayloadByName("runningSessionId") as string, _sessionId, StringComparison.Ordinal))
            {
                _ended.TrySetResult("another tool (dotnet-counters, dotnet-monitor or another attach) is already reading this process's metrics; stop it and try again");
            }

            return;
        }

        if (!string.Equals(sessionId, _sessionId, StringComparison.Ordinal))
        {
            return;
        }

        switch (e.EventName)
        {
            case "BeginInstrumentReporting":
                if (string.Equals(e.PayloadByName("meterName") as string, SystemRuntimeMeter.MeterName, StringComparison.Ordinal))
                {
                    _instruments++;
                }

                break;
            case "InitialInstrumentEnumerationComplete":
                _enumerated.TrySetResult(_instruments);
                break;
            case "CounterRateValuePublished" or "UpDownCounterRateValuePublished" or "GaugeValuePublished":
                OnValue(e);
                break;
            case "Collection/Stop":
                Publish(e.TimeStamp.ToUniversalTime());
                break;
            case "Error" or "ObservableInstrumentCallbackError":
                _ended.TrySetResult($"the target reported an error while publishing its metrics: {e.PayloadByName("errorMessage")}");
                break;
            default:
                break;
        }
    }

    private void OnValue(TraceEvent e)
    {
        if (!string.Equals(e.PayloadByName("meterName") as string, SystemRuntimeMeter.MeterName, StringComparison.Ordinal)
            || e.PayloadByName("instrumentName") is not string instrument)
        {
            return;
        }

        string unit = e.PayloadByName("unit") as string ?? string.Empty;
        string tags = e.PayloadByName("tags") as string ?? string.Empty;
        double value = ParseValue(e.PayloadByName("value"));
        if (double.IsNaN(value))
        {
            return;
        }

        // dotnet.exceptions comes as one series per exception type; the catalog holds their sum.
        if (string.Equals(instrument, SystemRuntimeMeter.ExceptionsInstrument, StringComparison.Ordinal))
        {
            _exceptionsByType[tags] = value;
            return;
        }

        if (!_mapped.TryGetValue((instrument, unit, tags), out MetricSeries? series))
        {
            SystemRuntimeMeter.TryMap(instrument, unit, tags, out series);
            _mapped[(instrument, unit, tags)] = series;
        }

        if (series is not null)
        {
            _pending[series.Index] = value;
        }
    }

    /// <summary>Makes the publication that just ended visible to <see cref="Read"/>, with the figures derived from it.</summary>
    private void Publish(DateTime at)
    {
        double exceptions = 0;
        foreach (double count in _exceptionsByType.Values)
        {
            exceptions += count;
        }

        _pending[(int)MetricId.Exceptions] = exceptions;
        double collections = _pending[(int)MetricId.GcCollectionsGen0] + _pending[(int)MetricId.GcCollectionsGen1] + _pending[(int)MetricId.GcCollectionsGen2];
        _pending[(int)MetricId.GcPauseRatio] = PauseRatio(_pending[(int)MetricId.GcPauseTime], at);

        // "First observed": as in-process, the publication that first shows a new collection dates it.
        if (collections > 0 && !(collections <= _lastCollections))
        {
            _lastCollectionTime = (at - DateTime.UnixEpoch).TotalSeconds;
        }

        _lastCollections = collections;
        _pending[(int)MetricId.GcLastCollectionTime] = _lastCollectionTime;
        lock (_lock)
        {
            _pending.CopyTo(_published, 0);

            // Before the first collection the meter reports the last-collection sizes as 0: they are not measurements.
            if (!(collections > 0))
            {
                Array.Fill(_published, double.NaN, FirstLastCollectionFigure, LastLastCollectionFigure - FirstLastCollectionFigure + 1);
                _published[(int)MetricId.GcLastCommitted] = double.NaN;
            }
        }

        _firstPublication.TrySetResult();
    }

    private double PauseRatio(double pauseTime, DateTime at)
    {
        double ratio = double.NaN;
        double wall = (at - _lastPauseAt).TotalSeconds;
        if (!double.IsNaN(_lastPauseTime) && !double.IsNaN(pauseTime) && wall > 0 && pauseTime >= _lastPauseTime)
        {
            ratio = Math.Min(1.0, (pauseTime - _lastPauseTime) / wall);
        }

        _lastPauseTime = pauseTime;
        _lastPauseAt = at;
        return ratio;
    }
}
