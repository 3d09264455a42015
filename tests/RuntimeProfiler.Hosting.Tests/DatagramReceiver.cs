using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RuntimeProfiling.Hosting.Tests;

/// <summary>A real datagram socket the test binds (UDP on loopback, or a Unix datagram socket in a temporary file) and reads StatsD datagrams from.</summary>
internal sealed class DatagramReceiver : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[65536];

    private DatagramReceiver(Socket socket, string? path)
    {
        _socket = socket;
        SocketPath = path;
    }

    /// <summary>Gets the UDP port, or 0 for a Unix socket.</summary>
    public int Port => _socket.LocalEndPoint is IPEndPoint endPoint ? endPoint.Port : 0;

    /// <summary>Gets the Unix socket's path, or null for UDP.</summary>
    public string? SocketPath { get; }

    /// <summary>Gets every datagram received so far, in order.</summary>
    public List<string> Datagrams { get; } = [];

    /// <summary>Gets every line received so far, in order.</summary>
    public IEnumerable<string> Lines => Datagrams.SelectMany(d => d.Split('\n'));

    public static DatagramReceiver Udp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new DatagramReceiver(socket, null);
    }

    public static DatagramReceiver Unix()
    {
        // Short, so it stays well inside the 107 bytes a socket path may hold.
        string path = Path.Combine(Path.GetTempPath(), $"rp-{Guid.NewGuid():N}.sock");
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return new DatagramReceiver(socket, path);
    }

    /// <summary>Receives datagrams until one of the lines received so far matches, or fails after 30 s.</summary>
    /// <returns>The first line that matches.</returns>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        while ((line = Lines.FirstOrDefault(match)) is null)
        {
            try
            {
                int received = await _socket.ReceiveAsync(_buffer, SocketFlags.None, timeout.Token);
                Datagrams.Add(Encoding.UTF8.GetString(_buffer, 0, received));
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No line with {what} within 30 s; received {Datagrams.Count} datagrams:\n{string.Join('\n', Lines.Take(40))}");
            }
        }

        return line;
    }

    /// <summary>Reads whatever datagrams are already waiting, without waiting for more.</summary>
    public void Drain()
    {
        while (_socket.Available > 0)
        {
            int received = _socket.Receive(_buffer);
            Datagrams.Add(Encoding.UTF8.GetString(_buffer, 0, received));
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (SocketPath is not null)
        {
            File.Delete(SocketPath);
        }
    }
}
