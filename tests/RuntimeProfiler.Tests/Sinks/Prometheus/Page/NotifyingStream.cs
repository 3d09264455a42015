using System.Text;

namespace RuntimeProfiling.Tests.Sinks.Prometheus.Page;

/// <summary>A write-only stream that keeps what it is given, as text, and lets a test wait until the text says something.</summary>
internal sealed class NotifyingStream : Stream
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();
    private readonly SemaphoreSlim _written = new(0);

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public async Task WaitForAsync(Func<string, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition(Text))
        {
            await _written.WaitAsync(timeout.Token);
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            _text.Append(Encoding.UTF8.GetString(buffer, offset, count));
        }

        _written.Release();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _written.Dispose();
        }

        base.Dispose(disposing);
    }
}
