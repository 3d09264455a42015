using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Tests.Sinks.StatsD;

public sealed class PauseSummaryTests
{
    private static readonly double[] s_bounds = [.. RuntimeMetricCatalog.GcPauseBucketBounds];

    [Fact]
    public void Count_Sum_Minimum_And_Maximum_Are_Kept_Exactly_And_Every_Value_Stays_In_Its_Bucket()
    {
        var summary = new PauseSummary(RuntimeSnapshot.BucketSlots);
        long[] buckets = Buckets((4, 3), (5, 2), (6, 2));
        summary.Summarize(7, 0.0029, 0.00012, 0.00093, buckets, s_bounds);

        Assert.Equal(7, Sum(summary.Counts));
        Assert.Equal(0.0029, Weighted(summary), 15);
        Assert.Equal(0.00012, summary.Values[0]);
        Assert.Equal(0.00093, summary.Values[1]);
        Assert.Equal(0.00012, Min(summary.Values));
        Assert.Equal(0.00093, Max(summary.Values));
        Assert.InRange(summary.Values[2], 0.0001, 0.00025);
        Assert.InRange(summary.Values[3], 0.00025, 0.0005);
        Assert.InRange(summary.Values[4], 0.0005, 0.001);
    }

    [Theory]
    [InlineData(0.00229)]
    [InlineData(0.0031)]
    [InlineData(0.00348)]
    public void The_Sum_Is_Met_Anywhere_Between_Its_Smallest_And_Largest_Possible_Value(double sum)
    {
        var summary = new PauseSummary(RuntimeSnapshot.BucketSlots);
        summary.Summarize(7, sum, 0.00012, 0.00093, Buckets((4, 3), (5, 2), (6, 2)), s_bounds);
        Assert.Equal(sum, Weighted(summary), 15);
    }

    [Fact]
    public void A_Single_Pause_Is_Sent_As_Itself()
    {
        var summary = new PauseSummary(RuntimeSnapshot.BucketSlots);
        summary.Summarize(1, 0.0042, 0.0042, 0.0042, Buckets((7, 1)), s_bounds);
        Assert.Equal([0.0042], summary.Values.ToArray());
        Assert.Equal([1L], summary.Counts.ToArray());
    }

    [Fact]
    public void Pauses_Above_The_Last_Bound_Stay_Between_It_And_The_Maximum()
    {
        var summary = new PauseSummary(RuntimeSnapshot.BucketSlots);
        summary.Summarize(4, 50, 11, 15, Buckets((19, 4)), s_bounds);
        Assert.Equal(4, Sum(summary.Counts));
        Assert.Equal(50, Weighted(summary), 12);
        Assert.All(summary.Values.ToArray(), v => Assert.InRange(v, 11, 15));
    }

    [Fact]
    public void A_Window_Whose_Buckets_Disagree_With_Its_Count_Produces_Nothing()
    {
        var summary = new PauseSummary(RuntimeSnapshot.BucketSlots);
        summary.Summarize(5, 0.01, 0.001, 0.003, Buckets((6, 2)), s_bounds);
        Assert.Equal(0, summary.Count);
        summary.Summarize(0, 0, double.NaN, double.NaN, Buckets(), s_bounds);
        Assert.Equal(0, summary.Count);
    }

    [Fact]
    public void Without_Extremes_The_Count_And_Sum_Still_Hold()
    {
        var summary = new PauseSummary(RuntimeSnapshot.BucketSlots);
        summary.Summarize(3, 0.0009, double.NaN, double.NaN, Buckets((4, 1), (5, 2)), s_bounds);
        Assert.Equal(3, Sum(summary.Counts));
        Assert.Equal(0.0009, Weighted(summary), 15);
    }

    [Fact]
    public void Random_Windows_Keep_Count_Sum_And_Extremes_Exactly_And_Every_Value_In_Its_Bucket()
    {
        var random = new Random(20261126);
        var summary = new PauseSummary(RuntimeSnapshot.BucketSlots);
        for (int window = 0; window < 2000; window++)
        {
            // Pauses log-uniform between 5 µs and 12 s, bucketed as the sampler does: the first bound >= the pause.
            int n = random.Next(1, 300);
            double[] pauses = [.. Enumerable.Range(0, n).Select(_ => Math.Exp(random.NextDouble() * Math.Log(12 / 5e-6)) * 5e-6)];
            long[] buckets = new long[RuntimeSnapshot.BucketSlots];
            foreach (double pause in pauses)
            {
                buckets[BucketOf(pause)]++;
            }

            summary.Summarize(n, pauses.Sum(), pauses.Min(), pauses.Max(), buckets, s_bounds);

            Assert.Equal(n, Sum(summary.Counts));
            Assert.Equal(pauses.Sum(), Weighted(summary), pauses.Sum() * 1e-12);
            Assert.Equal(pauses.Min(), Min(summary.Values));
            Assert.Equal(pauses.Max(), Max(summary.Values));
            long[] seen = new long[RuntimeSnapshot.BucketSlots];
            for (int i = 0; i < summary.Count; i++)
            {
                int bucket = summary.Buckets[i];
                double lower = bucket == 0 ? 0 : s_bounds[bucket - 1];
                double upper = bucket < s_bounds.Length ? s_bounds[bucket] : double.MaxValue;
                Assert.InRange(summary.Values[i], lower, upper);
                seen[bucket] += summary.Counts[i];
            }

            Assert.Equal(buckets, seen);
        }
    }

    private static int BucketOf(double value)
    {
        int bucket = 0;
        while (bucket < s_bounds.Length && value > s_bounds[bucket])
        {
            bucket++;
        }

        return bucket;
    }

    private static long[] Buckets(params (int Bucket, long Count)[] counts)
    {
        long[] buckets = new long[RuntimeSnapshot.BucketSlots];
        foreach ((int bucket, long count) in counts)
        {
            buckets[bucket] = count;
        }

        return buckets;
    }

    private static long Sum(ReadOnlySpan<long> counts)
    {
        long total = 0;
        foreach (long c in counts)
        {
            total += c;
        }

        return total;
    }

    private static double Weighted(PauseSummary summary)
    {
        double total = 0;
        for (int i = 0; i < summary.Count; i++)
        {
            total += summary.Values[i] * summary.Counts[i];
        }

        return total;
    }

    private static double Min(ReadOnlySpan<double> values) => values.ToArray().Min();

    private static double Max(ReadOnlySpan<double> values) => values.ToArray().Max();
}
