using RuntimeProfiling.Collection;
using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Console;

/// <summary>
/// Writes each sample as a readable table, grouped by area (GC and heap, allocation, CPU and memory,
/// thread pool and locks, JIT, runtime, profiler), to the console or any text writer.
/// </summary>
/// <remarks>Formatting and writing a sample allocates nothing after the first. Not thread-safe; the profiler never calls it concurrently.</remarks>
public sealed class ConsoleSink : IRuntimeMetricsSink
{
    private readonly TextWriter _writer;
    private readonly ConsoleTableFormatter _formatter;
    private readonly CharBuffer _buffer = new(8 * 1024);

    /// <summary>Initializes a sink that writes to <see cref="System.Console.Out"/> with the default settings.</summary>
    public ConsoleSink()
        : this(System.Console.Out)
    {
    }

    /// <summary>Initializes a sink that writes to a text writer.</summary>
    /// <param name="writer">The writer; not disposed by the sink.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public ConsoleSink(TextWriter writer, ConsoleSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _formatter = new ConsoleTableFormatter((options ?? new()).Naming);
    }

    /// <inheritdoc />
#pragma warning disable CA1849 // Runs on its own thread-pool lane: synchronous writes avoid the allocations of async console I/O.
    public ValueTask WriteAsync(RuntimeSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _buffer.Clear();
        _formatter.Format(snapshot, _buffer);
        _writer.Write(_buffer.WrittenSpan);
        _writer.Flush();
        return ValueTask.CompletedTask;
    }
#pragma warning restore CA1849
}
