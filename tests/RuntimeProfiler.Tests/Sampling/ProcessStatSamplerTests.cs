using System.Text;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;

namespace RuntimeProfiling.Tests.Sampling;

public sealed class ProcessStatSamplerTests
{
    [Theory]
    [InlineData("1234 (dotnet) S 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 23 0 4603 3284262912 37812 18446744073709551615", 37812, 23)]
    [InlineData("1234 (my app) R 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 7 0 4603 3284262912 100 18446744073709551615", 100, 7)]
    [InlineData("1234 (dotnet) S 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 23 0 4603 3284262912 42", 42, 23)]
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
    [InlineData("1234 (dotnet) S 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 23 0 4603 3284262912 37812x 0")]
    [InlineData("1234 (dotnet) S 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 -23 0 4603 3284262912 37812 0")]
    [InlineData("1234 (dotnet) S 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 23 0 4603 3284262912 1234567890123456789 0")]
    public void TryParseStat_Fails_On_Malformed_Input(string stat) =>
        Assert.False(ProcessStatSampler.TryParseStat(Encoding.ASCII.GetBytes(stat), out _, out _));

    [Fact]
    public void Without_Proc_The_Working_Set_Falls_Back_And_Threads_Are_Not_Reported()
    {
        using var sampler = new ProcessStatSampler([]);
        sampler.Open();
        double[] values = new double[RuntimeMetricCatalog.Count];
        sampler.Read(values);
        Assert.False(sampler.UsesProcStat);
        Assert.True(values[(int)MetricId.ProcessWorkingSet] > 0);
        Assert.True(double.IsNaN(values[(int)MetricId.ProcessThreads]));
    }

    [Fact]
    public void A_Missing_Proc_File_Falls_Back_Instead_Of_Throwing()
    {
        using var sampler = new ProcessStatSampler("/proc/self/does-not-exist");
        sampler.Open();
        Assert.False(sampler.UsesProcStat);
    }

    [Fact]
    public void The_Main_Thread_Stat_Is_Read_And_Gives_The_Whole_Process_Resident_Set_And_Threads()
    {
        using var sampler = new ProcessStatSampler();
        sampler.Open();
        Assert.Equal($"/proc/self/task/{Environment.ProcessId}/stat", sampler.StatPath);

        // The same two figures as the process-wide file, which the kernel writes at a cost that grows with the threads.
        var gate = new ManualResetEventSlim();
        Thread[] extra = [.. Enumerable.Range(0, 20).Select(_ => new Thread(() => gate.Wait()) { IsBackground = true })];
        try
        {
            foreach (Thread thread in extra)
            {
                thread.Start();
            }

            // Other tests start and end threads meanwhile: compare a read that no change of the count straddled.
            double[] values = new double[RuntimeMetricCatalog.Count];
            long before;
            long after;
            long rssPages;
            int attempts = 0;
            do
            {
                before = ProcessWide(out _);
                sampler.Read(values);
                after = ProcessWide(out rssPages);
            }
            while (before != after && ++attempts < 100);

            Assert.Equal(before, after);
            Assert.Equal(before, values[(int)MetricId.ProcessThreads]);
            Assert.True(values[(int)MetricId.ProcessThreads] >= 21);
            Assert.InRange(values[(int)MetricId.ProcessWorkingSet], rssPages * Environment.SystemPageSize * 0.9, rssPages * Environment.SystemPageSize * 1.1);
        }
        finally
        {
            gate.Set();
            foreach (Thread thread in extra)
            {
                thread.Join();
            }

            gate.Dispose();
        }
    }

    [Fact]
    public void A_Stat_Showing_No_Resident_Memory_Is_Left_For_The_Next_File()
    {
        // What the main thread's stat shows once that thread has exited while others run: no memory.
        string exited = Path.Combine(Path.GetTempPath(), $"stat-{Guid.NewGuid():N}");
        File.WriteAllText(exited, "1234 (dotnet) Z 1 1234 1234 0 -1 4194560 21553 0 0 0 65 17 0 0 20 0 23 0 4603 0 0 18446744073709551615");
        try
        {
            using var sampler = new ProcessStatSampler(exited, "/proc/self/stat");
            sampler.Open();
            Assert.Equal(exited, sampler.StatPath);
            double[] values = new double[RuntimeMetricCatalog.Count];
            sampler.Read(values);
            Assert.Equal("/proc/self/stat", sampler.StatPath);
            Assert.True(values[(int)MetricId.ProcessWorkingSet] > 0);
            Assert.True(values[(int)MetricId.ProcessThreads] > 0);
        }
        finally
        {
            File.Delete(exited);
        }
    }

    private static long ProcessWide(out long rssPages)
    {
        Assert.True(ProcessStatSampler.TryParseStat(File.ReadAllBytes("/proc/self/stat"), out rssPages, out long threads));
        return threads;
    }
}
