using System.Text;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>A transport that keeps every datagram it is handed and answers with a result the test chooses.</summary>
internal sealed class FakeStatsDTransport : IStatsDTransport
{
    private readonly List<byte[]> _datagrams = [];

    public IReadOnlyList<byte[]> Datagrams => _datagrams;

    /// <summary>Gets the name of the thread of each <see cref="Send"/>, for tests of where a sink runs.</summary>
    public List<string?> SendThreads { get; } = [];

    /// <summary>Gets or sets what <see cref="Send"/> answers; datagrams are kept only when it is <see cref="StatsDSendResult.Sent"/>.</summary>
    public StatsDSendResult Result { get; set; } = StatsDSendResult.Sent;

    public int Prepared { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>Gets every datagram received, as text, each followed by a blank line.</summary>
    public string Text => string.Concat(_datagrams.Select(d => Encoding.ASCII.GetString(d) + "\n\n"));

    /// <summary>Gets every line received, over all datagrams.</summary>
    public IEnumerable<string> Lines => _datagrams.SelectMany(d => Encoding.ASCII.GetString(d).Split('\n'));

    public ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        Prepared++;
        return default;
    }

    public StatsDSendResult Send(ReadOnlySpan<byte> datagram)
    {
        SendThreads.Add(Thread.CurrentThread.Name);
        if (Result == StatsDSendResult.Sent)
        {
            _datagrams.Add(datagram.ToArray());
        }

        return Result;
    }

    public void Clear() => _datagrams.Clear();

    public void Dispose() => Disposed = true;
}
