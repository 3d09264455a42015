using System.Buffers;
using System.Globalization;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>Writes response heads, and the short bodies of error responses, into a connection's response buffer.</summary>
internal sealed class HttpResponseHead
{
    private static readonly byte[] s_text = "text/plain; version=0.0.4; charset=utf-8"u8.ToArray();
    private static readonly byte[] s_openMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8"u8.ToArray();

    // Every answer of the page: its own files only, never sniffed, framed or sent along with a referrer.
    private static readonly byte[] s_pageHeaders = System.Text.Encoding.ASCII.GetBytes(
        $"Content-Security-Policy: {LivePage.ContentSecurityPolicy}\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nCross-Origin-Resource-Policy: same-origin\r\n");

    private readonly TimeProvider _timeProvider;
    private readonly byte[] _scratch = new byte[ResponseBuffer.HeadRoom];

    public HttpResponseHead(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Completes a 200 response whose body (the exposition) is already in <paramref name="response"/>.</summary>
    public void WriteMetrics(ResponseBuffer response, PrometheusFormat format, bool gzip, bool keepAlive, bool isHead)
    {
        var head = new Writer(_scratch);
        head.Write("HTTP/1.1 200 OK\r\nContent-Type: "u8);
        head.Write(format == PrometheusFormat.OpenMetrics ? s_openMetrics : s_text);
        head.Write("\r\n"u8);
        if (gzip)
        {
            head.Write("Content-Encoding: gzip\r\n"u8);
        }

        // Caches must not serve one scraper's format or encoding to another.
        head.Write("Vary: Accept, Accept-Encoding\r\nCache-Control: no-store\r\n"u8);
        Finish(ref head, response, keepAlive, isHead);
    }

    /// <summary>Writes the head of a page file, whose body the connection sends from the file itself.</summary>
    public void WritePageFile(ResponseBuffer response, LivePageFile file, bool gzip, bool keepAlive, bool isHead)
    {
        var head = new Writer(_scratch);
        head.Write("HTTP/1.1 200 OK\r\nContent-Type: "u8);
        head.Write(file.ContentTypeBytes);
        head.Write(gzip ? "\r\nContent-Encoding: gzip\r\n"u8 : "\r\n"u8);
        head.Write("Vary: Accept-Encoding\r\nCache-Control: no-cache\r\n"u8);
        head.Write(s_pageHeaders);
        response.Reset();
        Finish(ref head, response, keepAlive, isHead, (gzip ? file.GzipContent : file.Content).Length);
    }

    /// <summary>Completes the answer to a page's poll, whose frames are already in <paramref name="response"/>.</summary>
    public void WriteUpdates(ResponseBuffer response, bool keepAlive, bool isHead)
    {
        var head = new Writer(_scratch);
        head.Write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n"u8);
        head.Write(s_pageHeaders);
        Finish(ref head, response, keepAlive, isHead);
    }

    /// <summary>Writes the head of an event stream: no length, the body ends when the connection closes.</summary>
    public void WriteEventStream(ResponseBuffer response)
    {
        var head = new Writer(_scratch);
        head.Write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n"u8);

        // Proxies such as nginx buffer responses unless told not to, which would hold every update back.
        head.Write("X-Accel-Buffering: no\r\n"u8);
        head.Write(s_pageHeaders);
        head.Write("Date: "u8);
        head.WriteDate(_timeProvider.GetUtcNow());
        head.Write("\r\nConnection: close\r\n\r\n"u8);
        response.Reset();
        response.SetHead(head.Written);
    }

    /// <summary>Writes a whole error response: status line, headers and a one-line text body.</summary>
    public void WriteError(ResponseBuffer response, int status, bool keepAlive, bool isHead)
    {
        ReadOnlySpan<byte> reason = status switch
        {
            400 => "Bad Request"u8,
            404 => "Not Found"u8,
            405 => "Method Not Allowed"u8,
            431 => "Request Header Fields Too Large"u8,
            503 => "Service Unavailable"u8,
            505 => "HTTP Version Not Supported"u8,
            _ => "Internal Server Error"u8,
        };

        response.Reset();
        response.Write(reason);
        response.Write("\n"u8);
        var head = new Writer(_scratch);
        head.Write("HTTP/1.1 "u8);
        head.WriteNumber(status);
        head.Write(" "u8);
        head.Write(reason);
        head.Write("\r\nContent-Type: text/plain; charset=utf-8\r\n"u8);
        if (status == 405)
        {
            head.Write("Allow: GET, HEAD\r\n"u8);
        }
        else if (status == 503)
        {
            head.Write("Retry-After: 30\r\n"u8);
        }

        Finish(ref head, response, keepAlive, isHead);
    }

    private void Finish(ref Writer head, ResponseBuffer response, bool keepAlive, bool isHead, long contentLength = -1)
    {
        head.Write("Content-Length: "u8);
        head.WriteNumber(contentLength >= 0 ? contentLength : response.BodyLength);
        head.Write("\r\nDate: "u8);
        head.WriteDate(_timeProvider.GetUtcNow());
        head.Write(keepAlive ? "\r\n\r\n"u8 : "\r\nConnection: close\r\n\r\n"u8);
        if (isHead)
        {
            // A HEAD response carries the length the body would have, and no body.
            response.DropBody();
        }

        response.SetHead(head.Written);
    }

    private ref struct Writer
    {
        private readonly Span<byte> _buffer;
        private int _length;

        public Writer(Span<byte> buffer) => _buffer = buffer;

        public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer[_length..]);
            _length += bytes.Length;
        }

        public void WriteNumber(long value)
        {
            value.TryFormat(_buffer[_length..], out int written, default, CultureInfo.InvariantCulture);
            _length += written;
        }

        public void WriteDate(DateTimeOffset now)
        {
            // RFC 9110 asks servers with a clock for a Date header; "r" is its IMF-fixdate form.
            now.TryFormat(_buffer[_length..], out int written, "r", CultureInfo.InvariantCulture);
            _length += written;
        }
    }
}
