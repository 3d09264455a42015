namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>Sends datagrams somewhere. Implementations never throw from <see cref="Send"/> and never block on the network.</summary>
internal interface IStatsDTransport : IDisposable
{
    /// <summary>
    /// Called before each sample: refreshes what needs refreshing (a DNS lookup is started in the background when due).
    /// Completes synchronously except while the very first lookup of a host name is running, which it may await briefly.
    /// </summary>
    public ValueTask PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Sends one datagram, without blocking.</summary>
    public StatsDSendResult Send(ReadOnlySpan<byte> datagram);
}
