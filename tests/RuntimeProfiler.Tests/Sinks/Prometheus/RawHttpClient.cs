using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

/// <summary>A client that sends exactly the bytes a test gives it and reads responses by hand, for requests no HttpClient would send.</summary>
internal sealed class RawHttpClient : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    private RawHttpClient(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    public static async Task<RawHttpClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(s_limit);
        await socket.ConnectAsync(endPoint, timeout.Token);
        return new RawHttpClient(socket);
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(s_limit);
        await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
    }

    /// <summary>Reads one response: status, headers (names in any case) and a body of Content-Length bytes, unless it answers a HEAD.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool head = false)
    {
        int end;
        while ((end = FindHeadEnd()) < 0)
        {
            if (await ReceiveMoreAsync() == 0)
            {
                throw new IOException($"Connection closed before a full response head; got: {Encoding.Latin1.GetString([.. _pending])}");
            }
        }

        string[] lines = Encoding.Latin1.GetString([.. _pending.Take(end - 4)]).Split("\r\n");
        _pending.RemoveRange(0, end);
        string[] status = lines[0].Split(' ', 3);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        int length = head ? 0 : int.Parse(headers["content-length"], System.Globalization.CultureInfo.InvariantCulture);
        while (_pending.Count < length)
        {
            if (await ReceiveMoreAsync() == 0)
            {
                throw new IOException("Connection closed inside a response body.");
            }
        }

        byte[] body = [.. _pending.Take(length)];
        _pending.RemoveRange(0, length);
        return new RawResponse(status[0], int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture), headers, body);
    }

    /// <summary>Completes when the server has closed the connection (end of stream or reset), reading and dropping what is left.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            while (await ReceiveMoreAsync() > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<int> ReceiveMoreAsync()
    {
        byte[] buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(s_limit);
        int received = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        _pending.AddRange(buffer.AsSpan(0, received));
        return received;
    }

    private int FindHeadEnd()
    {
        for (int i = 3; i < _pending.Count; i++)
        {
            if (_pending[i - 3] == '\r' && _pending[i - 2] == '\n' && _pending[i - 1] == '\r' && _pending[i] == '\n')
            {
                return i + 1;
            }
        }

        return -1;
    }
}
