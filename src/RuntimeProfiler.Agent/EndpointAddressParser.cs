using System.Globalization;
using System.Net;

namespace RuntimeProfiling.Agent;

/// <summary>
/// Reads the address of the Prometheus endpoint and live page (<c>--prometheus</c>, <c>--ui</c>,
/// <c>RUNTIMEPROFILER_PROMETHEUS</c>, <c>RUNTIMEPROFILER_UI</c>): <c>HOST:PORT</c>, the host an IP address
/// (<c>[::1]</c> for IPv6) or <c>localhost</c>; empty means 127.0.0.1:9464.
/// </summary>
internal static class EndpointAddressParser
{
    public static readonly IPEndPoint Default = new(IPAddress.Loopback, 9464);

    public static bool TryParse(string? text, out IPEndPoint endPoint, out string error)
    {
        endPoint = Default;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || (text.Contains(':', StringComparison.Ordinal) && text.IndexOf(':', StringComparison.Ordinal) != colon && !text.StartsWith('[')))
        {
            error = $"'{text}' is not HOST:PORT (for example 127.0.0.1:9464, or [::1]:9464 for IPv6)";
            return false;
        }

        string host = text[..colon];
        string portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > IPEndPoint.MaxPort)
        {
            error = $"'{portText}' is not a port from 1 to 65535";
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        IPAddress? address = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : null;
        if (address is null && !IPAddress.TryParse(host, out address))
        {
            error = $"'{host}' is not an IP address or localhost";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
