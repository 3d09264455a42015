using System.Net.Sockets;
using RuntimeProfiling.Diagnostics;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Sinks.Prometheus;

/// <summary>
/// One connection slot of the endpoint: serves HTTP/1.x requests on a socket, one at a time, with keep-alive.
/// Its buffers are kept for the next socket the slot serves, so a scrape allocates nothing of ours.
/// </summary>
/// <remarks>
/// Every wait is bounded: the first byte of a request within the keep-alive timeout, the rest of the request
/// and the whole response within the request timeout; a request head larger than the buffer is answered 431.
/// Whatever a client does, the connection ends without an exception escaping.
/// </remarks>
internal sealed partial class HttpConnection : IDisposable
{
    private const int DrainLimitBytes = 64 * 1024;
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(1);

    private readonly PrometheusEndpoint _owner;
    private readonly byte[] _request;
    private readonly ResponseBuffer _response = new();
    private readonly HttpResponseHead _head;
    private readonly char[] _accept = new char[1024];
    private CancellationTokenSource _deadline;
    private Socket? _socket;
    private bool _waitingForNextRequest;
    private long _idleSince;
    private bool _unreadInput;

    public HttpConnection(PrometheusEndpoint owner)
    {
        _owner = owner;
        _request = new byte[owner.Options.MaxRequestHeaderBytes];
        _head = new HttpResponseHead(owner.TimeProvider);
        _deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, owner.TimeProvider);
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(Socket socket)
    {
        _socket = socket;
        Completion = RunAsync(socket);
    }

    /// <summary>Closes the socket: any pending receive or send ends at once, and so does a stream's wait. Safe to call from any thread.</summary>
    public void Abort()
    {
        Volatile.Read(ref _socket)?.Dispose();
        _viewer.Wake();
    }

    /// <summary>
    /// Closes the socket if the connection has been waiting for the next request of a kept-alive client for at
    /// least <paramref name="grace"/>. A client that just got its response is not cut off while it sends the next
    /// request: while connections wait for a slot, every response says <c>Connection: close</c> instead.
    /// </summary>
    public void AbortIfIdle(TimeSpan grace)
    {
        if (Volatile.Read(ref _waitingForNextRequest) && _owner.TimeProvider.GetElapsedTime(Volatile.Read(ref _idleSince)) >= grace)
        {
            Abort();
        }
    }

    /// <summary>Releases the slot's timer; called for idle slots only, once the endpoint is disposed.</summary>
    public void Dispose() => _deadline.Dispose();

    private async Task RunAsync(Socket socket)
    {
        try
        {
            _unreadInput = false;
            socket.NoDelay = true;
            if (await ServeAsync(socket).ConfigureAwait(false))
            {
                await CloseGracefullyAsync(socket).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The deadline fired: a client too slow to send its request or to take the response.
            if (!_owner.IsStopping)
            {
                _owner.Scraper.CountRejected();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The client went away (reset, broken pipe) or the endpoint is stopping: nothing to answer.
        }
#pragma warning disable CA1031 // Isolation: nothing a client does may escape into the host; unexpected failures are reported.
        catch (Exception e)
#pragma warning restore CA1031
        {
            RuntimeProfilerEventSource.Log.PrometheusConnectionFailed(e);
        }
        finally
        {
            Volatile.Write(ref _socket, null);
            socket.Dispose();
            if (!_deadline.TryReset())
            {
                _deadline.Dispose();
                _deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _owner.TimeProvider);
            }

            _owner.Release(this);
        }
    }

    /// <summary>Serves requests until the connection should end.</summary>
    /// <returns><see langword="true"/> when a response asked the client to close: shut down gracefully; <see langword="false"/> when the client left.</returns>
    private async Task<bool> ServeAsync(Socket socket)
    {
        PrometheusEndpointOptions options = _owner.Options;
        CancellationToken deadline = _deadline.Token;
        int buffered = 0;
        bool first = true;
        while (true)
        {
            if (buffered == 0)
            {
                _deadline.CancelAfter(first ? options.RequestTimeout : options.KeepAliveTimeout);
                Volatile.Write(ref _idleSince, _owner.TimeProvider.GetTimestamp());
                Volatile.Write(ref _waitingForNextRequest, !first);
                try
                {
                    buffered = await socket.ReceiveAsync(_request, SocketFlags.None, deadline).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!first)
                {
                    // A kept-alive client that sent nothing more: closing it is routine, not a rejection.
                    return false;
                }
                finally
                {
                    Volatile.Write(ref _waitingForNextRequest, false);
                }

                if (buffered == 0)
                {
                    return false;
                }
            }

            // From a request's first byte, its head and our response share one deadline: slow senders and
            // readers (one byte every few seconds) cannot hold a slot longer than that.
            _deadline.CancelAfter(options.RequestTimeout);
            int end;
            while ((end = HttpRequestHead.FindEnd(_request.AsSpan(0, buffered))) < 0)
            {
                if (buffered == _request.Length)
                {
                    _unreadInput = true;
                    _owner.Scraper.CountRejected();
                    _head.WriteError(_response, 431, keepAlive: false, isHead: false);
                    await SendAsync(socket, deadline).ConfigureAwait(false);
                    return true;
                }

                int received = await socket.ReceiveAsync(_request.AsMemory(buffered), SocketFlags.None, deadline).ConfigureAwait(false);
                if (received == 0)
                {
                    return false;
                }

                buffered += received;
            }

            bool keepAlive = Respond(_request.AsSpan(0, end), out bool hasBody);
            await SendAsync(socket, deadline).ConfigureAwait(false);
            if (_streaming)
            {
                _unreadInput = buffered > end;
                await StreamAsync(socket).ConfigureAwait(false);
                return true;
            }

            if (!keepAlive || _owner.IsStopping)
            {
                _unreadInput = hasBody || buffered > end;
                return true;
            }

            // A pipelined request may already be in the buffer behind this one.
            buffered -= end;
            _request.AsSpan(end, buffered).CopyTo(_request);
            first = false;
        }
    }

    /// <summary>Builds the response to one request head in the response buffer.</summary>
    /// <returns>Whether the connection stays open for another request.</returns>
    private bool Respond(ReadOnlySpan<byte> head, out bool hasBody)
    {
        int status = HttpRequestHead.Parse(head, out HttpRequestHead request);
        hasBody = status != 0 || request.HasBody;
        if (status != 0)
        {
            _owner.Scraper.CountRejected();
            _head.WriteError(_response, status, keepAlive: false, isHead: false);
            return false;
        }

        bool keepAlive = request.KeepAlive && !request.HasBody && !_owner.IsStopping && !_owner.HasWaitingConnections;
        bool isHead = request.Method.SequenceEqual("HEAD"u8);
        bool isMetrics = request.Path.SequenceEqual(_owner.PathBytes);
        LivePage? page = isMetrics ? null : _owner.Page;
        PageRoute route = page is null ? PageRoute.None : FindPageRoute(request.Path, out _file);
        if (!isMetrics && route == PageRoute.None)
        {
            _head.WriteError(_response, 404, keepAlive, isHead);
            return keepAlive;
        }

        if (!isHead && !request.Method.SequenceEqual("GET"u8))
        {
            _head.WriteError(_response, 405, keepAlive, isHead: false);
            return keepAlive;
        }

        if (page is not null)
        {
            return RespondPage(page, route, request.LastEventId, AcceptsGzip(request.AcceptEncoding), keepAlive, isHead);
        }

        int length = Math.Min(request.Accept.Length, _accept.Length);
        for (int i = 0; i < length; i++)
        {
            _accept[i] = (char)request.Accept[i];
        }

        PrometheusFormat format = PrometheusContentNegotiation.SelectFormat(_accept.AsSpan(0, length));
        bool gzip = _owner.Options.EnableGzip && AcceptsGzip(request.AcceptEncoding);
        try
        {
            _response.Reset();
            _owner.Scraper.Scrape(format, gzip, _response);
        }
        catch (ObjectDisposedException)
        {
            _head.WriteError(_response, 503, keepAlive: false, isHead);
            return false;
        }

        _head.WriteMetrics(_response, format, gzip, keepAlive, isHead);
        return keepAlive;
    }

    private bool AcceptsGzip(ReadOnlySpan<byte> acceptEncoding)
    {
        int length = Math.Min(acceptEncoding.Length, _accept.Length);
        for (int i = 0; i < length; i++)
        {
            _accept[i] = (char)acceptEncoding[i];
        }

        return PrometheusContentNegotiation.AcceptsGzip(_accept.AsSpan(0, length));
    }

    private async ValueTask SendAsync(Socket socket, CancellationToken deadline)
    {
        await SendAllAsync(socket, _response.Message, deadline).ConfigureAwait(false);
        ReadOnlyMemory<byte> body = _body;
        _body = default;
        await SendAllAsync(socket, body, deadline).ConfigureAwait(false);
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> message, CancellationToken deadline)
    {
        while (!message.IsEmpty)
        {
            int sent = await socket.SendAsync(message, SocketFlags.None, deadline).ConfigureAwait(false);
            message = message[sent..];
        }
    }

    /// <summary>
    /// Ends the connection after a response that said <c>Connection: close</c>: our side first; then, when the
    /// client sent more than we read (a body, a malformed request), that is read and dropped for a moment, so
    /// closing does not reset the connection under a response the client has not read yet.
    /// </summary>
    private async ValueTask CloseGracefullyAsync(Socket socket)
    {
        socket.Shutdown(SocketShutdown.Send);
        if (!_unreadInput)
        {
            // Nothing unread: closing now sends no reset, and frees the slot at once.
            return;
        }

        _unreadInput = false;
        _deadline.CancelAfter(s_drainTimeout);
        try
        {
            int drained = 0;
            while (drained < DrainLimitBytes)
            {
                int received = await socket.ReceiveAsync(_request, SocketFlags.None, _deadline.Token).ConfigureAwait(false);
                if (received == 0)
                {
                    return;
                }

                drained += received;
            }
        }
        catch (OperationCanceledException)
        {
            // The client kept the connection open: our part is done, so it is closed now.
        }
    }
}
