using RuntimeProfiling.Collection;

namespace RuntimeProfiling.Hosting;

/// <summary>
/// A built sink: the <see cref="IRuntimeMetricsSink"/> the profiler feeds (null for a sink that serves on its own,
/// such as the Prometheus endpoint, which reads the runtime at scrape time), and what to release when the host
/// stops (null when the container owns the sink).
/// </summary>
internal sealed record SinkInstance(IRuntimeMetricsSink? Sink, IAsyncDisposable? Owned);
