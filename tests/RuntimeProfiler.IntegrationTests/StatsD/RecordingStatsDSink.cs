using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>A StatsD sink that also keeps a copy of every sample it was handed, so a test knows exactly what went out.</summary>
internal sealed class RecordingStatsDSink : IRuntimeMetricsSink, ISinkHealthReporter, IDisposable
{
    private readonly ISinkHealthReporter _health;
    private readonly List<CollectedSample> _samples = [];

    public RecordingStatsDSink(StatsDSink inner)
    {
        Inner = inner;
        _health = inner;
    }

    public StatsDSink Inner { get; }

    public IReadOnlyList<CollectedSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public async ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        lock (_samples)
        {
            _samples.Add(CollectedSample.From(snapshot));
        }

        await Inner.WriteAsync(snapshot, cancellationToken);
    }

    public void ResetHealth(Span<double> values) => _health.ResetHealth(values);

    public void WriteHealth(Span<double> values) => _health.WriteHealth(values);

    public void Dispose() => Inner.Dispose();
}
