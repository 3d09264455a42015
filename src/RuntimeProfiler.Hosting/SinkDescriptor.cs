using RuntimeProfiling.Collection;

namespace RuntimeProfiling.Hosting;

/// <summary>
/// A sink the host can run: its configuration name (the key under <c>RuntimeProfiler:Sinks</c>), how to build
/// it from the container, and the allowed values of its enumerated settings, for validation messages.
/// </summary>
internal sealed class SinkDescriptor(string name, Func<IServiceProvider, SinkInstance> create, IReadOnlyDictionary<string, string[]>? choices = null)
{
    public string Name { get; } = name;

    public Func<IServiceProvider, SinkInstance> Create { get; } = create;

    /// <summary>Gets, per setting of this sink that takes one of a fixed set of values, those values.</summary>
    public IReadOnlyDictionary<string, string[]> Choices { get; } = choices ?? new Dictionary<string, string[]>();
}

/// <summary>A built sink and what to release when the host stops (null when the container owns the sink).</summary>
internal sealed record SinkInstance(IRuntimeMetricsSink Sink, IAsyncDisposable? Owned);
