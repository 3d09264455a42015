using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// One figure pre-encoded for one sink: the bytes before the value (prefix, name, folded attributes or Telegraf
/// tags, and the colon), the type, and the DogStatsD tags, so writing a line is copying bytes and formatting a number.
/// </summary>
internal sealed class StatsDLine
{
    public StatsDLine(Figure figure, byte[] head, byte[] type, byte[] tags)
    {
        Figure = figure;
        Head = head;
        Type = type;
        Tags = tags;
        Tail = [.. type, .. tags];
    }

    public Figure Figure { get; }

    /// <summary>Gets the name part, ending with ':' (<c>dotnet.gc.collections.gen0:</c>).</summary>
    public byte[] Head { get; }

    /// <summary>Gets the type field with its leading pipe (<c>|g</c>, <c>|c</c>, <c>|ms</c> or <c>|d</c>).</summary>
    public byte[] Type { get; }

    /// <summary>Gets the DogStatsD tag field with its leading <c>|#</c>, or nothing.</summary>
    public byte[] Tags { get; }

    /// <summary>Gets the type and tags together, what follows the value of a line without a sample rate.</summary>
    public byte[] Tail { get; }

    public MetricKind Kind => Figure.Kind;
}
