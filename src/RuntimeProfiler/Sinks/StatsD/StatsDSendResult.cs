namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>What became of one datagram handed to a transport; every value but <see cref="Sent"/> is a counted drop reason.</summary>
internal enum StatsDSendResult
{
    /// <summary>The operating system took the datagram.</summary>
    Sent,

    /// <summary>Nobody receives at the address: port closed (ICMP unreachable), socket file missing or stale, host or network unreachable.</summary>
    Unreachable,

    /// <summary>A send buffer is full (the receiver is not keeping up); sending again later may succeed.</summary>
    BufferFull,

    /// <summary>The host name has no address (yet).</summary>
    Unresolved,

    /// <summary>Any other socket failure.</summary>
    SocketError,
}
