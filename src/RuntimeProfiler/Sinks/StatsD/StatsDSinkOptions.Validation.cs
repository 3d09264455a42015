using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.StatsD;

/// <content>Validation: once, when a sink is built, with an exception that names the option.</content>
public sealed partial class StatsDSinkOptions
{
    private static readonly TimeSpan s_minimumRefresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maximumRefresh = TimeSpan.FromDays(1);

    /// <summary>Checks every setting and works out the endpoint.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the exception names it.</exception>
    internal StatsDEndpoint Validate()
    {
        if (!Enum.IsDefined(Dialect))
        {
            throw new ArgumentOutOfRangeException(nameof(Dialect), Dialect, "Unknown StatsD dialect.");
        }

        if (!Enum.IsDefined(Naming))
        {
            throw new ArgumentOutOfRangeException(nameof(Naming), Naming, "Unknown naming.");
        }

        if (MaxDatagramBytes is { } max && (max < MinimumDatagramBytes || max > MaximumDatagramBytes))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDatagramBytes), max, $"The largest datagram must be between {MinimumDatagramBytes} and {MaximumDatagramBytes} bytes.");
        }

        if (EndpointRefreshInterval != Timeout.InfiniteTimeSpan && (EndpointRefreshInterval < s_minimumRefresh || EndpointRefreshInterval > s_maximumRefresh))
        {
            throw new ArgumentOutOfRangeException(nameof(EndpointRefreshInterval), EndpointRefreshInterval, "The endpoint refresh interval must be between 1 second and 1 day, or infinite.");
        }

        if (GlobalTags.Count > 0 && Dialect == StatsDDialect.Etsy)
        {
            throw new ArgumentException("Plain StatsD (the Etsy dialect) has no tags: use Prefix, or the DogStatsD or Telegraf dialect for global tags.", nameof(GlobalTags));
        }

        foreach (KeyValuePair<string, string> tag in GlobalTags)
        {
            if (string.IsNullOrEmpty(tag.Key) || string.IsNullOrEmpty(tag.Value))
            {
                throw new ArgumentException($"Global tag '{tag.Key}' has an empty key or value.", nameof(GlobalTags));
            }
        }

        return ValidateEndpoint();
    }

    /// <summary>Gets the datagram limit in effect for an endpoint.</summary>
    internal int DatagramBytesFor(StatsDEndpoint endpoint) =>
        (int)(MaxDatagramBytes ?? (endpoint.IsUnix ? DefaultUnixDatagramBytes : DefaultUdpDatagramBytes));

    private StatsDEndpoint ValidateEndpoint()
    {
        if (Url is not null)
        {
            string? error = StatsDEndpoint.TryParse(Url, out StatsDEndpoint? parsed);
            return error is null ? parsed! : throw new ArgumentException(Capitalize(error) + ".", nameof(Url));
        }

        if (UnixSocketPath is not null)
        {
            string? error = StatsDEndpoint.ValidateUnixPath(UnixSocketPath);
            return error is null ? StatsDEndpoint.Unix(UnixSocketPath) : throw new ArgumentException(Capitalize(error) + ".", nameof(UnixSocketPath));
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("The host is empty.", nameof(Host));
        }

        if (StatsDEndpoint.ValidatePort(Port) is { } portError)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, Capitalize(portError) + ".");
        }

        return StatsDEndpoint.Udp(Host.Trim(), Port);
    }

    private static string Capitalize(string message) => char.ToUpperInvariant(message[0]) + message[1..];
}
