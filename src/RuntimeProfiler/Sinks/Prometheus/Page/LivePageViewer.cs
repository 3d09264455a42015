namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>
/// One page viewing the live figures: the stream of its updates, for an HTTP server of your own: answer the page's <c>GET events</c> with
/// status 200, <c>Content-Type: text/event-stream</c> and <c>Cache-Control: no-store</c>, then call
/// <see cref="CopyToAsync"/>. Dispose it when the request ends, so another page may stream.
/// </summary>
/// <remarks>Not thread-safe: one request uses it, from one task at a time.</remarks>
public sealed class LivePageViewer : IDisposable
{
    private const int BufferBytes = 16 * 1024;

    private readonly LiveViewer _viewer;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private bool _disposed;

    internal LivePageViewer(LiveViewer viewer) => _viewer = viewer;

    /// <summary>
    /// Writes the page's hello event and the history it has not seen, then every update as it comes (and a comment
    /// line every 15 seconds without one), flushing after each, until <paramref name="cancellationToken"/> is cancelled
    /// or the page stops.
    /// </summary>
    /// <param name="destination">The response body.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away (<c>HttpContext.RequestAborted</c>).</param>
    /// <returns>A task that completes when the stream ends; it faults only with what <paramref name="destination"/> throws.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using CancellationTokenRegistration wake = cancellationToken.UnsafeRegister(static state => ((LiveViewer)state!).Wake(), _viewer);
        while (!cancellationToken.IsCancellationRequested && !_viewer.Ended)
        {
            int length = _viewer.Fill(_buffer);
            await destination.WriteAsync(_buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (!_viewer.HasMore)
            {
                await _viewer.WaitAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends the stream and frees its place among the page's streams.</summary>
    public void Dispose()
    {
        _disposed = true;
        _viewer.Close();
    }
}
