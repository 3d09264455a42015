using System.Buffers.Text;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// The parts of an HTTP/1.x request head the endpoint needs, read in place from the receive buffer. Parsing is
/// strict where a lenient reading could be abused (whitespace before a colon, folded lines, conflicting
/// lengths, a missing Host) and lenient only where RFC 9112 allows it (a bare LF as line end).
/// </summary>
internal ref struct HttpRequestHead
{
    public ReadOnlySpan<byte> Method;
    public ReadOnlySpan<byte> Path;
    public ReadOnlySpan<byte> Accept;
    public ReadOnlySpan<byte> AcceptEncoding;

    /// <summary>The id of the last event a reconnecting live page received.</summary>
    public ReadOnlySpan<byte> LastEventId;

    /// <summary>Whether the client wants the connection kept for another request (HTTP/1.1 without <c>Connection: close</c>).</summary>
    public bool KeepAlive;

    /// <summary>Whether a body follows the head; we never read one, so the connection must close after the response.</summary>
    public bool HasBody;

    /// <summary>Finds the end of a request head: the index just past the empty line, or -1 when it has not all arrived.</summary>
    public static int FindEnd(ReadOnlySpan<byte> buffer)
    {
        int start = 0;
        while (true)
        {
            int lf = buffer[start..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                return -1;
            }

            int next = start + lf + 1;
            if (next < buffer.Length && buffer[next] == '\n')
            {
                return next + 1;
            }

            if (next + 1 < buffer.Length && buffer[next] == '\r' && buffer[next + 1] == '\n')
            {
                return next + 2;
            }

            start = next;
        }
    }

    /// <summary>Parses a complete head (as delimited by <see cref="FindEnd"/>).</summary>
    /// <returns>0 when the head is usable, else the status code to answer with (400 or 505).</returns>
    public static int Parse(ReadOnlySpan<byte> head, out HttpRequestHead request)
    {
        request = default;
        int lineEnd = head.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line = TrimCr(head[..lineEnd]);
        ReadOnlySpan<byte> rest = head[(lineEnd + 1)..];

        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            return 400;
        }

        request.Method = line[..firstSpace];
        ReadOnlySpan<byte> target = line[(firstSpace + 1)..lastSpace];
        ReadOnlySpan<byte> version = line[(lastSpace + 1)..];
        if (!IsToken(request.Method) || target.IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            return 400;
        }

        bool http11 = version.SequenceEqual("HTTP/1.1"u8);
        if (!http11 && !version.SequenceEqual("HTTP/1.0"u8))
        {
            return version.StartsWith("HTTP/"u8) ? 505 : 400;
        }

        if (!TryGetPath(target, out request.Path))
        {
            return 400;
        }

        request.KeepAlive = http11;
        bool hasHost = false;
        long contentLength = -1;
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf((byte)'\n');
            line = TrimCr(rest[..lineEnd]);
            rest = rest[(lineEnd + 1)..];
            if (line.IsEmpty)
            {
                break;
            }

            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                // No name, whitespace before the colon, or a folded continuation line: RFC 9112 says reject.
                return 400;
            }

            ReadOnlySpan<byte> name = line[..colon];
            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
            if (Is(name, "host"))
            {
                if (hasHost)
                {
                    return 400;
                }

                hasHost = true;
            }
            else if (Is(name, "accept"))
            {
                request.Accept = request.Accept.IsEmpty ? value : request.Accept;
            }
            else if (Is(name, "accept-encoding"))
            {
                request.AcceptEncoding = request.AcceptEncoding.IsEmpty ? value : request.AcceptEncoding;
            }
            else if (Is(name, "last-event-id"))
            {
                request.LastEventId = value;
            }
            else if (Is(name, "connection"))
            {
                request.KeepAlive &= !ContainsToken(value, "close");
            }
            else if (Is(name, "transfer-encoding"))
            {
                request.HasBody = true;
            }
            else if (Is(name, "content-length"))
            {
                if (!Utf8Parser.TryParse(value, out long length, out int consumed) || consumed != value.Length || length < 0 || (contentLength >= 0 && length != contentLength))
                {
                    return 400;
                }

                contentLength = length;
                request.HasBody |= length > 0;
            }
        }

        // HTTP/1.1 requires exactly one Host header (RFC 9112, section 3.2).
        return http11 && !hasHost ? 400 : 0;
    }

    private static bool TryGetPath(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> path)
    {
        // Origin form ("/metrics?x") or absolute form ("http://host:port/metrics"), as RFC 9112 asks servers to accept.
        if (target.StartsWith("http://"u8) || target.StartsWith("https://"u8))
        {
            ReadOnlySpan<byte> afterScheme = target[(target.IndexOf("//"u8) + 2)..];
            int slash = afterScheme.IndexOf((byte)'/');
            target = slash < 0 ? "/"u8 : afterScheme[slash..];
        }

        int end = target.IndexOfAny((byte)'?', (byte)'#');
        path = end < 0 ? target : target[..end];
        return !path.IsEmpty && (path[0] == '/' || path.SequenceEqual("*"u8));
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;

    private static bool Is(ReadOnlySpan<byte> name, string expected)
    {
        if (name.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            if ((name[i] | 0x20) != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContainsToken(ReadOnlySpan<byte> list, string token)
    {
        foreach (Range range in list.Split((byte)','))
        {
            if (Is(list[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsToken(ReadOnlySpan<byte> text)
    {
        // RFC 9110 token characters: visible ASCII except separators.
        foreach (byte b in text)
        {
            if (b <= 0x20 || b >= 0x7F || "\"(),/:;<=>?@[\\]{}"u8.Contains(b))
            {
                return false;
            }
        }

        return !text.IsEmpty;
    }
}
