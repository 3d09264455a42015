using System.Globalization;
using RuntimeProfiling.Formatting;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.Console;

/// <content>The pause distribution and the collections of the interval.</content>
internal sealed partial class ConsoleTableFormatter
{
    private static readonly string[] s_collectionKinds = ["ephemeral", "full blocking", "background"];

    /// <summary>
    /// Estimates a quantile from the buckets: the upper bound of the bucket holding it, or the maximum when that
    /// is lower. Shown as "≤ value", since all the buckets say is that the quantile is at most that.
    /// </summary>
    internal static double QuantileUpperBound(HistogramSnapshot histogram, double quantile)
    {
        long rank = Math.Max(1, (long)Math.Ceiling(quantile * histogram.Count));
        ReadOnlySpan<long> counts = histogram.BucketCounts;
        ReadOnlySpan<double> bounds = histogram.BucketBounds;
        long seen = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return i < bounds.Length ? Math.Min(bounds[i], histogram.Max) : histogram.Max;
            }
        }

        return histogram.Max;
    }

    private static void AppendHistogram(CharBuffer output, HistogramSnapshot histogram)
    {
        int start = output.Length;
        output.AppendFormatted(histogram.Count, default);
        output.PadLeftFrom(start, ValueWidth);
        output.Append(histogram.Count == 1 ? " pause   " : " pauses  ");
        output.Append("sum ");
        AppendSeconds(output, histogram.Sum);
        output.Append("  min ");
        AppendSeconds(output, histogram.Min);
        output.Append("  p50 ≤");
        AppendSeconds(output, QuantileUpperBound(histogram, 0.5));
        output.Append("  p99 ≤");
        AppendSeconds(output, QuantileUpperBound(histogram, 0.99));
        output.Append("  max ");
        AppendSeconds(output, histogram.Max);
        output.Append('\n');
    }

    private void AppendCollections(CharBuffer output, RuntimeSnapshot snapshot)
    {
        ReadOnlySpan<GcCollectionInfo> collections = snapshot.Collections;
        if (!_pauses || !snapshot.HasHistograms || (collections.IsEmpty && snapshot.CollectionsOmitted == 0))
        {
            return;
        }

        output.Append("  collections of the interval: ");
        output.AppendFormatted(collections.Length, default);
        output.Append(" listed");
        if (snapshot.CollectionsOmitted > 0)
        {
            output.Append(", ");
            output.AppendFormatted(snapshot.CollectionsOmitted, default);
            output.Append(" more in the histogram only");
        }

        output.Append('\n');
        Span<char> time = stackalloc char[16];
        foreach (ref readonly GcCollectionInfo collection in collections)
        {
            int lineStart = output.Length;
            output.Append("    #");
            output.AppendFormatted(collection.Index, default);
            output.Append(' ', 14 - (output.Length - lineStart));
            output.Append("gen");
            output.AppendFormatted(collection.Generation, default);
            output.Append(' ');
            output.Append(s_collectionKinds[(int)collection.Kind]);
            output.Append(' ', 34 - (output.Length - lineStart));
            output.Append("pause ");
            AppendSeconds(output, collection.PauseDuration.TotalSeconds);
            if (collection.Kind == GcCollectionKind.Background)
            {
                output.Append(" (");
                AppendSeconds(output, collection.FirstPauseDuration.TotalSeconds);
                output.Append(" + ");
                AppendSeconds(output, collection.SecondPauseDuration.TotalSeconds);
                output.Append(')');
            }

            output.Append("  promoted ");
            AppendBytes(output, collection.PromotedBytes);
            output.Append("  heap ");
            AppendBytes(output, collection.HeapSizeBytes);
            output.Append("  fragmented ");
            AppendBytes(output, collection.FragmentedBytes);
            output.Append(collection.Compacted ? "  compacted  " : "  swept  ");
            collection.ObservedAt.UtcDateTime.TryFormat(time, out int written, "HH:mm:ss.fff", CultureInfo.InvariantCulture);
            output.Append(time[..written]);
            output.Append("Z\n");
        }
    }
}
