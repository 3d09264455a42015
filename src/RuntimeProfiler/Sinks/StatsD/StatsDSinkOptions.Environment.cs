using System.Globalization;

namespace RuntimeProfiling.Sinks.StatsD;

/// <content>Opt-in reading of the environment variables Datadog's agents and clients use.</content>
public sealed partial class StatsDSinkOptions
{
    /// <summary>
    /// Reads the usual Datadog environment variables into these options; values found replace what the options
    /// held, so settings made after this call win over the environment, and the environment over settings made before.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Where to send, first match wins: <c>DD_DOGSTATSD_URL</c> (<c>udp://host:port</c>, <c>unix:///path</c> or
    /// <c>unixgram:///path</c>) sets <see cref="Url"/>; otherwise <c>DD_AGENT_HOST</c> sets <see cref="Host"/> (or
    /// <see cref="Url"/> when it starts with <c>unix://</c>) and clears <see cref="Url"/> and <see cref="UnixSocketPath"/>,
    /// and <c>DD_DOGSTATSD_PORT</c> sets <see cref="Port"/>. Tags: <c>DD_ENV</c>, <c>DD_SERVICE</c> and <c>DD_VERSION</c>
    /// set the global tags <c>env</c>, <c>service</c> and <c>version</c>. Unset or empty variables change nothing.
    /// </para>
    /// <para>It does not choose the dialect: set <see cref="Dialect"/> to <see cref="StatsDDialect.DogStatsD"/> for tags.</para>
    /// </remarks>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException"><c>DD_DOGSTATSD_URL</c> is not an absolute URL (a bare socket path is refused: write <c>unix:///path</c>), or <c>DD_DOGSTATSD_PORT</c> is not a port number.</exception>
    public StatsDSinkOptions ReadDatadogEnvironment() => ReadDatadogEnvironment(Environment.GetEnvironmentVariable);

    internal StatsDSinkOptions ReadDatadogEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? url = Read(variable, "DD_DOGSTATSD_URL");
        string? host = Read(variable, "DD_AGENT_HOST");
        string? port = Read(variable, "DD_DOGSTATSD_PORT");
        if (url is not null)
        {
            Url = ParseUrl(url, "DD_DOGSTATSD_URL");
        }
        else
        {
            if (host is not null)
            {
                Url = host.StartsWith("unix://", StringComparison.Ordinal) ? ParseUrl(host, "DD_AGENT_HOST") : null;
                UnixSocketPath = null;
                Host = host;
            }

            if (port is not null)
            {
                Port = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && StatsDEndpoint.ValidatePort(number) is null
                    ? number
                    : throw new ArgumentException($"DD_DOGSTATSD_PORT is '{port}', not a port number (1 to 65535).");
            }
        }

        SetTag(variable, "DD_ENV", "env");
        SetTag(variable, "DD_SERVICE", "service");
        SetTag(variable, "DD_VERSION", "version");
        return this;
    }

    private static string? Read(Func<string, string?> variable, string name)
    {
        string? value = variable(name)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static Uri ParseUrl(string value, string name)
    {
        // Uri reads a bare path as a file:// URL. Datadog's .NET, Java and Ruby clients take only udp:// and unix://
        // URLs in DD_DOGSTATSD_URL (only its Python tracer also takes a bare path), so say how to write it instead.
        if (value.StartsWith('/'))
        {
            throw new ArgumentException($"{name} is '{value}', a path; write a socket as unix://{value}.");
        }

        return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new ArgumentException($"{name} is '{value}', not a URL such as udp://host:8125 or unix:///path/to/socket.");
    }

    private void SetTag(Func<string, string?> variable, string name, string tag)
    {
        if (Read(variable, name) is { } value)
        {
            GlobalTags[tag] = value;
        }
    }
}
