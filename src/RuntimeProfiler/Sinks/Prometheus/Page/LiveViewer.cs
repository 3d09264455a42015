using System.Buffers.Text;

namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>
/// One page streaming updates: where it is in the history, and the signal that wakes it. A server loops on
/// <see cref="Fill"/>, a write of what it filled, and <see cref="WaitAsync"/>. A viewer is reusable: a connection
/// slot of the standalone endpoint keeps one for every stream it serves, so streaming allocates nothing.
/// </summary>
internal sealed class LiveViewer
{
    private readonly ViewerSignal _signal = new();
    private LivePage? _page;
    private long _next;
    private bool _helloPending;

    /// <summary>Gets whether the viewer's page stopped: the server should end the stream.</summary>
    public bool Ended => _page is null || !_page.IsStreaming;

    /// <summary>Starts streaming a page, after the event the browser saw last (its <c>Last-Event-ID</c>).</summary>
    /// <returns><see langword="false"/> when the page streams to as many viewers as it may.</returns>
    public bool TryOpen(LivePage page, ReadOnlySpan<byte> lastEventId)
    {
        _signal.Clear();
        if (!page.History.TryAddViewer(_signal))
        {
            return false;
        }

        _page = page;
        _helloPending = true;
        _next = page.ResumeAfter(lastEventId);
        return true;
    }

    public void Close()
    {
        _page?.History.RemoveViewer(_signal);
        _page = null;
    }

    /// <summary>
    /// Writes what the page has not seen yet: the hello event first, then as many frames as fit; or, when nothing
    /// is new, a comment line that keeps proxies and the browser from thinking the stream dead.
    /// </summary>
    /// <returns>The number of bytes written; at least 3 when <paramref name="destination"/> holds a frame.</returns>
    public int Fill(Span<byte> destination)
    {
        LivePage page = _page ?? throw new InvalidOperationException("The viewer is not open.");
        int written = 0;
        if (_helloPending)
        {
            page.Hello.CopyTo(destination);
            written = page.Hello.Length;
            _helloPending = false;
        }

        written += page.History.Copy(ref _next, destination[written..]);
        if (written == 0)
        {
            ":\n\n"u8.CopyTo(destination);
            written = 3;
        }

        return written;
    }

    /// <summary>Gets whether frames wait that the last <see cref="Fill"/> had no room for.</summary>
    public bool HasMore => _page is { } page && _next <= page.History.Latest;

    public ValueTask WaitAsync() => _signal.WaitAsync();

    /// <summary>Wakes the viewer's wait, so a server that closes the connection ends the stream at once.</summary>
    public void Wake() => _signal.Set();

    /// <summary>Reads the number of the last frame a page saw from its event id, <c>INSTANCE-NUMBER</c>, if this instance sent it.</summary>
    internal static long ParseSequence(ReadOnlySpan<byte> lastEventId, ReadOnlySpan<byte> instance)
    {
        if (lastEventId.Length <= instance.Length + 1 || !lastEventId.StartsWith(instance) || lastEventId[instance.Length] != '-')
        {
            return 0;
        }

        ReadOnlySpan<byte> digits = lastEventId[(instance.Length + 1)..];
        return Utf8Parser.TryParse(digits, out long sequence, out int consumed) && consumed == digits.Length && sequence > 0 ? sequence : 0;
    }
}
