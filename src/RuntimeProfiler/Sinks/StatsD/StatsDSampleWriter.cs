using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sinks.StatsD;

/// <summary>
/// Writes one sample as StatsD lines into a packer: gauges, counters as the sample's deltas, and the pause
/// histogram as timers or distributions. Keeps the little state a dialect needs between samples (Telegraf's
/// counter remainders) and counts what it cannot send. Allocates nothing.
/// </summary>
internal sealed class StatsDSampleWriter
{
    /// <summary>
    /// Etsy's daemon weighs only a timer's count by the sample rate (its mean, sum and percentiles take each value
    /// once), so in the Etsy dialect each pause is one value; beyond this many per series and sample, the rest go
    /// out with sample rates, which keeps the count exact.
    /// </summary>
    public const int EtsyRepeatLimit = 1000;

    private readonly StatsDFormatter _formatter;
    private readonly DatagramPacker _packer;
    private readonly StatsDHealth _health;
    private readonly double[] _remainders;
    private readonly PauseSummary _pauses = new(RuntimeSnapshot.BucketSlots);

    public StatsDSampleWriter(StatsDFormatter formatter, DatagramPacker packer, StatsDHealth health)
    {
        _formatter = formatter;
        _packer = packer;
        _health = health;
        _remainders = new double[formatter.Lines.Length];
    }

    public void Write(RuntimeSnapshot snapshot)
    {
        StatsDLine[] lines = _formatter.Lines;
        for (int i = 0; i < lines.Length; i++)
        {
            StatsDLine line = lines[i];
            switch (line.Kind)
            {
                case MetricKind.Counter:
                    WriteCounter(i, line, snapshot);
                    break;
                case MetricKind.Histogram:
                    WritePauses(line, snapshot);
                    break;
                default:
                    WriteGauge(line, snapshot);
                    break;
            }
        }

        _packer.Flush();
    }

    private void WriteGauge(StatsDLine line, RuntimeSnapshot snapshot)
    {
        if (!line.Figure.TryGetValue(snapshot, out double value))
        {
            CountIfNotFinite(value);
            return;
        }

        int written = StatsDFormatter.WriteGauge(line, value, _packer.Free, out int lines);
        if (written < 0 && !_packer.IsEmpty)
        {
            _packer.Flush();
            written = StatsDFormatter.WriteGauge(line, value, _packer.Free, out lines);
        }

        Commit(written, lines);
    }

    private void WriteCounter(int index, StatsDLine line, RuntimeSnapshot snapshot)
    {
        if (!line.Figure.TryGetDelta(snapshot, out double delta))
        {
            CountIfNotFinite(delta);
            return;
        }

        if (_formatter.Dialect == StatsDDialect.Telegraf)
        {
            // Telegraf keeps counters as integers and truncates a fraction: send whole units and carry the rest,
            // so the sum over time stays exact to within one unit.
            double total = delta + _remainders[index];
            delta = Math.Floor(total);
            _remainders[index] = total - delta;
        }

        int written = StatsDFormatter.Write(line, delta, _packer.Free);
        if (written < 0 && !_packer.IsEmpty)
        {
            _packer.Flush();
            written = StatsDFormatter.Write(line, delta, _packer.Free);
        }

        Commit(written, 1);
    }

    private void WritePauses(StatsDLine line, RuntimeSnapshot snapshot)
    {
        if (line.Figure.Series is not { } series || !snapshot.TryGetHistogram(series, out HistogramSnapshot? histogram) || histogram.Count <= 0)
        {
            return;
        }

        _pauses.Summarize(histogram.Count, histogram.Sum, histogram.Min, histogram.Max, histogram.BucketCounts, histogram.BucketBounds);
        bool milliseconds = _formatter.PausesInMilliseconds;
        double scale = milliseconds ? 1000 : 1;
        int decimals = milliseconds ? StatsDFormatter.MillisecondDecimals : StatsDFormatter.SecondDecimals;
        ReadOnlySpan<double> values = _pauses.Values;
        ReadOnlySpan<long> counts = _pauses.Counts;
        Span<long> weighted = stackalloc long[values.Length];
        counts.CopyTo(weighted);
        if (_formatter.Dialect == StatsDDialect.Etsy)
        {
            WriteRepeated(line, values, weighted, scale, decimals);
        }

        for (int i = 0; i < values.Length; i++)
        {
            WriteWeighted(line, values[i] * scale, decimals, weighted[i]);
        }
    }

    /// <summary>Writes <paramref name="count"/> as a sum of powers of two, one line each with the exact rate 2^-k.</summary>
    private void WriteWeighted(StatsDLine line, double value, int decimals, long count)
    {
        for (int k = 0; count > 0; k++, count >>= 1)
        {
            if ((count & 1) != 0)
            {
                int written = StatsDFormatter.WriteSampled(line, value, decimals, k, _packer.Free);
                if (written < 0 && !_packer.IsEmpty)
                {
                    _packer.Flush();
                    written = StatsDFormatter.WriteSampled(line, value, decimals, k, _packer.Free);
                }

                Commit(written, 1);
            }
        }
    }

    /// <summary>
    /// Writes each pause as one value of Etsy multi-value lines (<c>name:v|ms:v|ms</c>) that fill each datagram, up to
    /// <see cref="EtsyRepeatLimit"/> values; what is left in <paramref name="counts"/> goes out with sample rates.
    /// </summary>
    private void WriteRepeated(StatsDLine line, ReadOnlySpan<double> values, Span<long> counts, double scale, int decimals)
    {
        int budget = EtsyRepeatLimit;
        int at = 0;
        for (int i = 0; i < values.Length && budget > 0; i++)
        {
            double value = values[i] * scale;
            while (counts[i] > 0 && budget > 0)
            {
                int written = StatsDFormatter.WriteValue(line, at == 0, value, decimals, _packer.Free[at..]);
                if (written > 0)
                {
                    at += written;
                    counts[i]--;
                    budget--;
                }
                else if (at > 0)
                {
                    _packer.Commit(at, 1);
                    at = 0;
                }
                else if (!_packer.IsEmpty)
                {
                    _packer.Flush();
                }
                else
                {
                    // Not even one value fits an empty datagram: nothing of this series can be sent.
                    _health.DropTooLong(1);
                    counts.Clear();
                    return;
                }
            }
        }

        if (at > 0)
        {
            _packer.Commit(at, 1);
        }
    }

    private void Commit(int written, int lines)
    {
        if (written < 0)
        {
            _health.DropTooLong(lines);
            return;
        }

        _packer.Commit(written, lines);
    }

    private void CountIfNotFinite(double value)
    {
        // NaN is a figure this sample does not have, which is not sent and not a drop; infinity is a drop.
        if (double.IsInfinity(value))
        {
            _health.DropNotFinite();
        }
    }
}
