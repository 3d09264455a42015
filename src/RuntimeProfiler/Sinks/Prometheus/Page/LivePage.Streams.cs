using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <content>What a server hands the browser: files, the event stream and the polling fallback.</content>
public sealed partial class LivePage
{
    /// <summary>The most a poll answers with: the page polls again at once when it got this much.</summary>
    internal const int MaxPollBytes = 64 * 1024;

    /// <summary>Finds one of the page's files by its path relative to the page.</summary>
    /// <param name="path">
    /// <c>""</c> or <c>index.html</c> for the page; <c>assets/live.js</c>, <c>assets/live.css</c>,
    /// <c>assets/uPlot.iife.min.js</c>, <c>assets/uPlot.min.css</c>; <c>favicon.svg</c> or <c>favicon.ico</c>.
    /// </param>
    /// <returns>The file, or <see langword="null"/> for any other path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    public static LivePageFile? GetFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return LivePageFiles.Find(Encoding.ASCII.GetBytes(path));
    }

    /// <summary>Opens the stream of updates for one page: its <c>GET events</c> request.</summary>
    /// <param name="lastEventId">The request's <c>Last-Event-ID</c> header, or <see langword="null"/>: a reconnecting page resumes after it.</param>
    /// <returns>The stream, or <see langword="null"/> when <see cref="LivePageOptions.MaxStreams"/> pages stream already: answer 503, and the page polls instead.</returns>
    public LivePageViewer? OpenStream(string? lastEventId)
    {
        var viewer = new LiveViewer();
        return viewer.TryOpen(this, Encoding.ASCII.GetBytes(lastEventId ?? string.Empty)) ? new LivePageViewer(viewer) : null;
    }

    /// <summary>
    /// Answers a page that polls (<c>GET updates</c>): the frames after <paramref name="lastEventId"/>, as the stream
    /// would send them (<c>text/event-stream</c>), preceded by the hello event when the id is not of this page.
    /// </summary>
    /// <param name="destination">Where the bytes go, for example an HTTP response's <c>BodyWriter</c>.</param>
    /// <param name="lastEventId">The page's <c>Last-Event-ID</c> header, or <see langword="null"/>.</param>
    /// <returns>The number of bytes written; at most 64 KB, the page asks again for the rest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    public int WriteUpdates(IBufferWriter<byte> destination, string? lastEventId)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Span<byte> buffer = destination.GetSpan(MaxPollBytes);
        int written = WriteUpdates(buffer[..MaxPollBytes], Encoding.ASCII.GetBytes(lastEventId ?? string.Empty));
        destination.Advance(written);
        return written;
    }

    /// <summary>Writes the poll answer into a span of at least <see cref="MaxPollBytes"/>.</summary>
    internal int WriteUpdates(Span<byte> destination, ReadOnlySpan<byte> lastEventId)
    {
        long after = LiveViewer.ParseSequence(lastEventId, Instance);
        int written = 0;
        if (after == 0)
        {
            Hello.CopyTo(destination);
            written = Hello.Length;
        }

        long next = after + 1;
        return written + History.Copy(ref next, destination[written..]);
    }

    /// <summary>Gets the number of the first frame to send a page that saw <paramref name="lastEventId"/> last: the next one, or 0 for the whole history.</summary>
    internal long ResumeAfter(ReadOnlySpan<byte> lastEventId)
    {
        long after = LiveViewer.ParseSequence(lastEventId, Instance);
        return after == 0 ? 0 : after + 1;
    }

    private byte[] BuildHello()
    {
        var json = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("instance", Instance);
            writer.WriteNumber("interval", Options.Interval.TotalSeconds);
            writer.WriteNumber("capacity", History.Capacity);
            writer.WriteStartObject("process");
            writer.WriteString("name", Process.Name);
            writer.WriteNumber("pid", Process.Id);
            writer.WriteString("runtime", Process.Runtime);
            writer.WriteString("gc", Process.GcMode);
            if (Process.StartedAt is { } started)
            {
                writer.WriteNumber("started", started.ToUnixTimeMilliseconds());
            }
            else
            {
                writer.WriteNull("started");
            }

            writer.WriteEndObject();
            writer.WriteStartArray("columns");
            foreach (string column in LiveFrameEncoder.Columns)
            {
                writer.WriteStringValue(column);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        // A browser reconnects after "retry" milliseconds: soon, so a restarted process shows up at once.
        return [.. "retry: 1000\nevent: hello\ndata: "u8, .. json.WrittenSpan, .. "\n\n"u8];
    }
}
