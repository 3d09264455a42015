using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Json;

/// <summary>
/// Renders a snapshot as one JSON object (the JSON Lines schema of <c>docs/json-schema.md</c>). Every name
/// is encoded once, so formatting a sample allocates nothing after the first.
/// </summary>
internal sealed partial class JsonSnapshotFormatter
{
    private static readonly JsonEncodedText s_timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText s_sequence = JsonEncodedText.Encode("sequence");
    private static readonly JsonEncodedText s_elapsed = JsonEncodedText.Encode("elapsed");
    private static readonly JsonEncodedText s_metrics = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText s_name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText s_unit = JsonEncodedText.Encode("unit");
    private static readonly JsonEncodedText s_kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText s_attributes = JsonEncodedText.Encode("attributes");
    private static readonly JsonEncodedText s_value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText s_delta = JsonEncodedText.Encode("delta");
    private static readonly JsonEncodedText[] s_kinds = [JsonEncodedText.Encode("gauge"), JsonEncodedText.Encode("counter"), JsonEncodedText.Encode("histogram")];

    private readonly Figure[] _figures;
    private readonly EncodedFigure[] _encoded;
    private readonly bool _pauses;
    private Utf8JsonWriter? _writer;

    public JsonSnapshotFormatter(MetricNaming naming)
    {
        _figures = FigureSets.Get(naming);
        _encoded = [.. _figures.Select(f => new EncodedFigure(f))];

        // The pause distribution and the collection list are figures of the catalog's naming; the original
        // naming renders the original's figures only.
        _pauses = naming == MetricNaming.OpenTelemetry;
    }

    public void Format(RuntimeSnapshot snapshot, IBufferWriter<byte> output)
    {
        Utf8JsonWriter writer = _writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WriteString(s_timestamp, snapshot.Timestamp.UtcDateTime);
        writer.WriteNumber(s_sequence, snapshot.Sequence);
        writer.WriteNumber(s_elapsed, snapshot.Elapsed.TotalSeconds);
        writer.WriteStartArray(s_metrics);
        for (int i = 0; i < _figures.Length; i++)
        {
            Figure figure = _figures[i];
            if (figure.Kind == MetricKind.Histogram)
            {
                if (_pauses && snapshot.TryGetHistogram(figure.Series!, out HistogramSnapshot? histogram))
                {
                    WriteHeader(writer, figure, _encoded[i]);
                    WriteHistogram(writer, histogram);
                    writer.WriteEndObject();
                }

                continue;
            }

            if (!figure.TryGetValue(snapshot, out double value))
            {
                continue;
            }

            WriteHeader(writer, figure, _encoded[i]);
            WriteNumber(writer, s_value, value);
            if (figure.TryGetDelta(snapshot, out double delta))
            {
                WriteNumber(writer, s_delta, delta);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (_pauses && snapshot.HasHistograms)
        {
            WriteCollections(writer, snapshot);
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteHeader(Utf8JsonWriter writer, Figure figure, EncodedFigure encoded)
    {
        writer.WriteStartObject();
        writer.WriteString(s_name, encoded.Name);
        writer.WriteString(s_unit, encoded.Unit);
        writer.WriteString(s_kind, s_kinds[(int)figure.Kind]);
        writer.WriteStartObject(s_attributes);
        for (int a = 0; a < encoded.AttributeKeys.Length; a++)
        {
            writer.WriteString(encoded.AttributeKeys[a], encoded.AttributeValues[a]);
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        writer.WritePropertyName(name);
        WriteNumberValue(writer, value);
    }

    private static void WriteNumberValue(Utf8JsonWriter writer, double value)
    {
        if (NumberFormatting.IsWhole(value))
        {
            writer.WriteNumberValue((long)value);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    private sealed class EncodedFigure
    {
        public EncodedFigure(Figure figure)
        {
            Name = JsonEncodedText.Encode(figure.Name);
            Unit = JsonEncodedText.Encode(figure.Unit);
            AttributeKeys = [.. figure.Attributes.Select(a => JsonEncodedText.Encode(a.Key))];
            AttributeValues = [.. figure.Attributes.Select(a => JsonEncodedText.Encode(a.Value))];
        }

        public JsonEncodedText Name { get; }

        public JsonEncodedText Unit { get; }

        public JsonEncodedText[] AttributeKeys { get; }

        public JsonEncodedText[] AttributeValues { get; }
    }
}
