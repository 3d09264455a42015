using System.Net;
using System.Text;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>Where a sink sends: a UDP host and port, or a Unix datagram socket path. Built once from the options.</summary>
internal sealed class StatsDEndpoint
{
    // sun_path holds 108 bytes on Linux, including the terminating NUL.
    private const int MaxUnixPathBytes = 107;

    private StatsDEndpoint(string? host, int port, string? unixPath)
    {
        Host = host;
        Port = port;
        UnixPath = unixPath;
    }

    /// <summary>Gets the host name or address literal for UDP, or null for a Unix socket.</summary>
    public string? Host { get; }

    public int Port { get; }

    /// <summary>Gets the Unix datagram socket path, or null for UDP.</summary>
    public string? UnixPath { get; }

    public bool IsUnix => UnixPath is not null;

    public static StatsDEndpoint Udp(string host, int port) => new(host, port, null);

    public static StatsDEndpoint Unix(string path) => new(null, 0, path);

    /// <summary>Reads a <c>udp://host[:port]</c>, <c>unix:///path</c> or <c>unixgram:///path</c> URL.</summary>
    /// <returns>An error message naming what is wrong, or null when <paramref name="endpoint"/> was set.</returns>
    public static string? TryParse(Uri url, out StatsDEndpoint? endpoint)
    {
        endpoint = null;
        if (!url.IsAbsoluteUri)
        {
            return $"'{url}' is not an absolute URL; use udp://host:8125 or unix:///path/to/socket";
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
        {
            return $"'{url}' has a query, fragment or user name, which a StatsD URL cannot have";
        }

        switch (url.Scheme)
        {
            case "udp":
                if (string.IsNullOrEmpty(url.DnsSafeHost))
                {
                    return $"'{url}' has no host; use udp://host:8125";
                }

                if (url.AbsolutePath.Length > 1)
                {
                    return $"'{url}' has a path; a UDP URL is udp://host:port";
                }

                endpoint = Udp(url.DnsSafeHost, url.Port < 0 ? StatsDSinkOptions.DefaultPort : url.Port);
                return ValidatePort(endpoint.Port);
            case "unix" or "unixgram":
                if (!string.IsNullOrEmpty(url.Host))
                {
                    return $"'{url}' names a host; a socket URL has three slashes before an absolute path: unix:///path/to/socket";
                }

                string path = Uri.UnescapeDataString(url.AbsolutePath);
                endpoint = Unix(path);
                return ValidateUnixPath(path);
            case "file":
                // What Uri makes of a bare path such as /run/dsd.socket.
                return $"'{url.OriginalString}' is a file path, not a StatsD URL; write a socket as unix://{url.LocalPath}";
            case "unixstream" or "tcp":
                return $"'{url}' uses {url.Scheme}, a stream transport; this sink sends datagrams: use udp:// or unix://";
            default:
                return $"'{url}' has the scheme '{url.Scheme}'; use udp://host:8125 or unix:///path/to/socket";
        }
    }

    public static string? ValidatePort(int port) =>
        port is < 1 or > 65535 ? $"the port {port} is out of range (1 to 65535)" : null;

    public static string? ValidateUnixPath(string path)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return $"the socket path '{path}' is not absolute";
        }

        if (path.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(path) > MaxUnixPathBytes)
        {
            return $"the socket path '{path}' is longer than {MaxUnixPathBytes} bytes or holds a NUL character";
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => UnixPath is not null
        ? "unix://" + UnixPath
        : "udp://" + (IPAddress.TryParse(Host, out IPAddress? address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + Host + "]" : Host) + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
