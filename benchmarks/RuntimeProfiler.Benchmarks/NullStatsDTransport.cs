using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Benchmarks;

/// <summary>A StatsD transport that drops every datagram: what remains is the sink's own formatting and packing.</summary>
internal sealed class NullStatsDTransport : IStatsDTransport
{
    public ValueTask PrepareAsync(CancellationToken cancellationToken) => default;

    public StatsDSendResult Send(ReadOnlySpan<byte> datagram) => StatsDSendResult.Sent;

    public void Dispose()
    {
    }
}
