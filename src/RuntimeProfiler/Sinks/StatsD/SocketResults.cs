using System.Net.Sockets;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>Maps socket errors to the drop reasons the sink counts.</summary>
internal static class SocketResults
{
    public static StatsDSendResult From(SocketError error) => error switch
    {
        SocketError.Success => StatsDSendResult.Sent,

        // EAGAIN on a non-blocking socket (a Unix socket whose reader is behind) and ENOBUFS (a full device queue).
        SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable => StatsDSendResult.BufferFull,

        // ECONNREFUSED is how Linux reports an ICMP port unreachable on a connected UDP socket, and a Unix socket
        // with no reader; ENOENT on a missing socket file comes back as AddressNotAvailable.
        SocketError.ConnectionRefused or SocketError.NotConnected or SocketError.ConnectionReset or SocketError.HostUnreachable
            or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown or SocketError.AddressNotAvailable
            or SocketError.HostNotFound => StatsDSendResult.Unreachable,
        _ => StatsDSendResult.SocketError,
    };
}
