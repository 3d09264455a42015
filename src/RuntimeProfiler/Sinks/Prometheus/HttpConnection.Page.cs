using System.Net.Sockets;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <content>The live page: its files, its polling answers, and its event stream, which holds the connection.</content>
internal sealed partial class HttpConnection
{
    private const int StreamBufferBytes = 16 * 1024;

    private readonly LiveViewer _viewer = new();
    private byte[]? _streamBuffer;
    private ReadOnlyMemory<byte> _body;
    private LivePageFile? _file;
    private bool _streaming;

    private enum PageRoute
    {
        None,
        File,
        Events,
        Updates,
    }

    private static PageRoute FindPageRoute(ReadOnlySpan<byte> path, out LivePageFile? file)
    {
        file = null;
        if (path.IsEmpty || path[0] != '/')
        {
            return PageRoute.None;
        }

        ReadOnlySpan<byte> relative = path[1..];
        if (relative.SequenceEqual("events"u8))
        {
            return PageRoute.Events;
        }

        if (relative.SequenceEqual("updates"u8))
        {
            return PageRoute.Updates;
        }

        file = LivePageFiles.Find(relative);
        return file is null ? PageRoute.None : PageRoute.File;
    }

    /// <summary>Builds the answer to a request for the page, in the response buffer (and <see cref="_body"/> for a file).</summary>
    /// <returns>Whether the connection stays open for another request.</returns>
    private bool RespondPage(LivePage page, PageRoute route, ReadOnlySpan<byte> lastEventId, bool acceptsGzip, bool keepAlive, bool isHead)
    {
        switch (route)
        {
            case PageRoute.File:
                LivePageFile file = _file!;
                _file = null;
                bool gzip = acceptsGzip && _owner.Options.EnableGzip;
                _head.WritePageFile(_response, file, gzip, keepAlive, isHead);
                _body = isHead ? default : gzip ? file.GzipContent : file.Content;
                return keepAlive;

            case PageRoute.Updates:
                // Bounded by the connection's buffer as it is: a page that gets a full answer polls again at once.
                _response.Reset();
                Span<byte> room = _response.GetSpan();
                int written = page.WriteUpdates(room, lastEventId);
                _response.Advance(written);
                _head.WriteUpdates(_response, keepAlive, isHead);
                return keepAlive;

            default:
                if (isHead)
                {
                    _head.WriteEventStream(_response);
                    return false;
                }

                if (!_viewer.TryOpen(page, lastEventId))
                {
                    // Streams may not take every connection from scrapes: this page polls instead.
                    _head.WriteError(_response, 503, keepAlive: false, isHead: false);
                    return false;
                }

                _head.WriteEventStream(_response);
                _streaming = true;
                return false;
        }
    }

    /// <summary>
    /// Streams the page's updates until the endpoint or the page stops or the client goes away. Each send has the
    /// request timeout to complete: a viewer that stops reading is disconnected, and the sampler never waits for it.
    /// </summary>
    private async Task StreamAsync(Socket socket)
    {
        _streaming = false;
        byte[] buffer = _streamBuffer ??= new byte[StreamBufferBytes];
        TimeSpan timeout = _owner.Options.RequestTimeout;
        try
        {
            while (!_owner.IsStopping && !_viewer.Ended)
            {
                int length = _viewer.Fill(buffer);
                _deadline.CancelAfter(timeout);
                await SendAllAsync(socket, buffer.AsMemory(0, length), _deadline.Token).ConfigureAwait(false);
                _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                if (!_viewer.HasMore)
                {
                    await _viewer.WaitAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _viewer.Close();
        }
    }
}
