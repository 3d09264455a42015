using System.Text;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Tests.Sampling;

public sealed class ProcessStatSamplerTests
{
    [Theory]
    [InlineData("1234 (dotnet) S 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 23 0 4603 3284262912 37812 18446744073709551615", 37812, 23)]
    [InlineData("1234 (my app) R 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 7 0 4603 3284262912 100 18446744073709551615", 100, 7)]
    [InlineData("1234 (a) (b)) S 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 9 0 4603 3284262912 5 18446744073709551615\n", 5, 9)]
    public void TryParseStat_Reads_Threads_And_Resident_Pages_Whatever_The_Command_Name(string stat, long rss, long threads)
    {
        Assert.True(ProcessStatSampler.TryParseStat(Encoding.ASCII.GetBytes(stat), out long actualRss, out long actualThreads));
        Assert.Equal(rss, actualRss);
        Assert.Equal(threads, actualThreads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234 (dotnet S 1")]
    [InlineData("1234 (dotnet) S 1 1234")]
    [InlineData("1234 (dotnet) S 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 x 0 4603 3284262912 37812")]
    public void TryParseStat_Fails_On_Malformed_Input(string stat) =>
        Assert.False(ProcessStatSampler.TryParseStat(Encoding.ASCII.GetBytes(stat), out _, out _));

    [Fact]
    public void Without_Proc_The_Working_Set_Falls_Back_And_Threads_Are_Not_Reported()
    {
        using var sampler = new ProcessStatSampler(statPath: null);
        sampler.Open();
        double[] values = new double[global::RuntimeProfiling.Model.RuntimeMetricCatalog.Count];
        sampler.Read(values);
        Assert.False(sampler.UsesProcStat);
        Assert.True(values[(int)global::RuntimeProfiling.Model.MetricId.ProcessWorkingSet] > 0);
        Assert.True(double.IsNaN(values[(int)global::RuntimeProfiling.Model.MetricId.ProcessThreads]));
    }

    [Fact]
    public void A_Missing_Proc_File_Falls_Back_Instead_Of_Throwing()
    {
        using var sampler = new ProcessStatSampler("/proc/self/does-not-exist");
        sampler.Open();
        Assert.False(sampler.UsesProcStat);
    }
}
