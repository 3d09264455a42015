using System.Buffers;
using System.Text;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Json;

/// <summary>
/// Writes each sample as one line of JSON (JSON Lines) to a stream or a text writer, flushing after each line.
/// The schema is documented in <c>docs/json-schema.md</c>.
/// </summary>
/// <remarks>Formatting and writing a sample allocates nothing after the first. Not thread-safe; the profiler never calls it concurrently.</remarks>
public sealed class JsonLinesSink : IRuntimeMetricsSink
{
    private readonly Stream? _stream;
    private readonly TextWriter? _textWriter;
    private readonly JsonSnapshotFormatter _formatter;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private char[] _chars = new char[16 * 1024];

    /// <summary>Initializes a sink that writes UTF-8 JSON lines to a stream, with the default settings.</summary>
    /// <param name="stream">The stream; not disposed by the sink.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    public JsonLinesSink(Stream stream)
        : this(stream, new JsonLinesSinkOptions())
    {
    }

    /// <summary>Initializes a sink that writes UTF-8 JSON lines to a stream.</summary>
    /// <param name="stream">The stream; not disposed by the sink.</param>
    /// <param name="options">Settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    public JsonLinesSink(Stream stream, JsonLinesSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        _stream = stream;
        _formatter = new JsonSnapshotFormatter(options.Naming);
    }

    /// <summary>Initializes a sink that writes JSON lines to a text writer, such as <see cref="System.Console.Out"/>, with the default settings.</summary>
    /// <param name="writer">The writer; not disposed by the sink.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public JsonLinesSink(TextWriter writer)
        : this(writer, new JsonLinesSinkOptions())
    {
    }

    /// <summary>Initializes a sink that writes JSON lines to a text writer.</summary>
    /// <param name="writer">The writer; not disposed by the sink.</param>
    /// <param name="options">Settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public JsonLinesSink(TextWriter writer, JsonLinesSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(writer);
        _textWriter = writer;
        _formatter = new JsonSnapshotFormatter(options.Naming);
    }

    /// <inheritdoc />
#pragma warning disable CA1849 // Runs on its own thread-pool lane: synchronous writes avoid the allocations of async stream I/O.
    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _buffer.ResetWrittenCount();
        _formatter.Format(snapshot, _buffer);
        _buffer.Write("\n"u8);
        ReadOnlySpan<byte> line = _buffer.WrittenSpan;
        if (_stream is not null)
        {
            _stream.Write(line);
            _stream.Flush();
            return ValueTask.CompletedTask;
        }

        int needed = Encoding.UTF8.GetMaxCharCount(line.Length);
        if (_chars.Length < needed)
        {
            _chars = new char[needed];
        }

        int count = Encoding.UTF8.GetChars(line, _chars);
        _textWriter!.Write(_chars.AsSpan(0, count));
        _textWriter.Flush();
        return ValueTask.CompletedTask;
    }
#pragma warning restore CA1849
}
