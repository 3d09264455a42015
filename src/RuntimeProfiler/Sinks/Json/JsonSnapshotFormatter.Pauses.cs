using System.Buffers;
using System.Text.Json;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Json;

/// <content>The pause distribution and the list of collections.</content>
internal sealed partial class JsonSnapshotFormatter
{
    private static readonly JsonEncodedText s_count = JsonEncodedText.Encode("count");
    private static readonly JsonEncodedText s_sum = JsonEncodedText.Encode("sum");
    private static readonly JsonEncodedText s_min = JsonEncodedText.Encode("min");
    private static readonly JsonEncodedText s_max = JsonEncodedText.Encode("max");
    private static readonly JsonEncodedText s_totalCount = JsonEncodedText.Encode("total_count");
    private static readonly JsonEncodedText s_totalSum = JsonEncodedText.Encode("total_sum");
    private static readonly JsonEncodedText s_bounds = JsonEncodedText.Encode("bounds");
    private static readonly JsonEncodedText s_bucketCounts = JsonEncodedText.Encode("bucket_counts");
    private static readonly JsonEncodedText s_collections = JsonEncodedText.Encode("collections");
    private static readonly JsonEncodedText s_collectionsOmitted = JsonEncodedText.Encode("collections_omitted");
    private static readonly JsonEncodedText s_index = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText s_generation = JsonEncodedText.Encode("generation");
    private static readonly JsonEncodedText s_pause = JsonEncodedText.Encode("pause");
    private static readonly JsonEncodedText s_pauseList = JsonEncodedText.Encode("pauses");
    private static readonly JsonEncodedText s_compacted = JsonEncodedText.Encode("compacted");
    private static readonly JsonEncodedText s_promoted = JsonEncodedText.Encode("promoted_bytes");
    private static readonly JsonEncodedText s_heapSize = JsonEncodedText.Encode("heap_size_bytes");
    private static readonly JsonEncodedText s_fragmented = JsonEncodedText.Encode("fragmented_bytes");
    private static readonly JsonEncodedText s_observed = JsonEncodedText.Encode("observed");
    private static readonly JsonEncodedText[] s_collectionKinds = [JsonEncodedText.Encode("ephemeral"), JsonEncodedText.Encode("full_blocking"), JsonEncodedText.Encode("background")];

    // The same bounds for every series of every sample: formatted once, as the writer formats numbers, and copied in.
    // Formatting them for each line was a third of the line's cost (a shortest round-trip float format per bound).
    private static readonly byte[] s_boundsJson = EncodeBounds();

    /// <summary>Writes the window's count, sum, extremes (absent when empty), the running totals and the buckets (per bucket, not cumulative).</summary>
    private static void WriteHistogram(Utf8JsonWriter writer, HistogramSnapshot histogram)
    {
        writer.WriteNumber(s_count, histogram.Count);
        WriteNumber(writer, s_sum, histogram.Sum);
        if (histogram.Count > 0)
        {
            WriteNumber(writer, s_min, histogram.Min);
            WriteNumber(writer, s_max, histogram.Max);
        }

        writer.WriteNumber(s_totalCount, histogram.TotalCount);
        WriteNumber(writer, s_totalSum, histogram.TotalSum);
        writer.WritePropertyName(s_bounds);
        writer.WriteRawValue(s_boundsJson, skipInputValidation: true);
        writer.WriteStartArray(s_bucketCounts);
        foreach (long count in histogram.BucketCounts)
        {
            writer.WriteNumberValue(count);
        }

        writer.WriteEndArray();
    }

    private static byte[] EncodeBounds()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (double bound in RuntimeMetricCatalog.GcPauseBounds)
            {
                writer.WriteNumberValue(bound);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteCollections(Utf8JsonWriter writer, RuntimeSnapshot snapshot)
    {
        writer.WriteStartArray(s_collections);
        foreach (ref readonly GcCollectionInfo collection in snapshot.Collections)
        {
            writer.WriteStartObject();
            writer.WriteNumber(s_index, collection.Index);
            writer.WriteNumber(s_generation, collection.Generation);
            writer.WriteString(s_kind, s_collectionKinds[(int)collection.Kind]);
            WriteNumber(writer, s_pause, collection.PauseDuration.TotalSeconds);
            writer.WriteStartArray(s_pauseList);
            WriteNumberValue(writer, collection.FirstPauseDuration.TotalSeconds);
            if (collection.Kind == GcCollectionKind.Background)
            {
                WriteNumberValue(writer, collection.SecondPauseDuration.TotalSeconds);
            }

            writer.WriteEndArray();
            writer.WriteBoolean(s_compacted, collection.Compacted);
            writer.WriteNumber(s_promoted, collection.PromotedBytes);
            writer.WriteNumber(s_heapSize, collection.HeapSizeBytes);
            writer.WriteNumber(s_fragmented, collection.FragmentedBytes);
            writer.WriteString(s_observed, collection.ObservedAt.UtcDateTime);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber(s_collectionsOmitted, snapshot.CollectionsOmitted);
    }
}
