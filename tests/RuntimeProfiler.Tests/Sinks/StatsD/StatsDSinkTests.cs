using System.Globalization;
using System.Text;
using RuntimeProfiling.Collection;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.StatsD;

public sealed class StatsDSinkTests
{
    [Theory]
    [InlineData(StatsDDialect.Etsy)]
    [InlineData(StatsDDialect.DogStatsD)]
    [InlineData(StatsDDialect.Telegraf)]
    public async Task A_Negative_Gauge_Goes_Out_As_Zero_Then_The_Value_In_One_Datagram(StatsDDialect dialect)
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        snapshot.Values[(int)MetricId.TimerCount] = -5;
        for (long size = 64; size <= 400; size += 7)
        {
            (StatsDSink sink, FakeStatsDTransport transport) = StatsDSnapshots.Sink(new StatsDSinkOptions { Dialect = dialect, MaxDatagramBytes = size });
            using (sink)
            {
                await sink.WriteAsync(snapshot, CancellationToken.None);
            }

            string[] datagram = [.. transport.Datagrams.Select(d => Encoding.ASCII.GetString(d)).Where(d => d.Contains("dotnet.timer.count", StringComparison.Ordinal))];
            Assert.Single(datagram);
            string[] lines = datagram[0].Split('\n');
            int zero = Array.FindIndex(lines, l => l.StartsWith("dotnet.timer.count", StringComparison.Ordinal));
            Assert.Matches(@"^dotnet\.timer\.count[^:]*:0\|g", lines[zero]);
            Assert.Matches(@"^dotnet\.timer\.count[^:]*:-5\|g", lines[zero + 1]);
        }
    }

    [Fact]
    public async Task Absent_Figures_Are_Not_Sent_And_Infinite_Ones_Are_Dropped_And_Counted()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.BeforeFirstGc();
        snapshot.Values[(int)MetricId.TimerCount] = double.PositiveInfinity;
        snapshot.Deltas[(int)MetricId.Exceptions] = double.NegativeInfinity;
        (StatsDSink sink, FakeStatsDTransport transport) = StatsDSnapshots.Sink(new StatsDSinkOptions());
        using (sink)
        {
            await sink.WriteAsync(snapshot, CancellationToken.None);
        }

        Assert.DoesNotContain(transport.Lines, l => l.Contains("last_collection", StringComparison.Ordinal) || l.Contains("timer.count", StringComparison.Ordinal) || l.Contains("dotnet.exceptions", StringComparison.Ordinal));
        Assert.DoesNotContain(transport.Lines, l => l.Contains("NaN", StringComparison.Ordinal) || l.Contains("nfinity", StringComparison.Ordinal) || l.Contains('\u221E', StringComparison.Ordinal));
        Assert.Equal(2, sink.Health.NotFinite);
        Assert.Equal(2, sink.Health.Dropped);
    }

    [Theory]
    [InlineData(StatsDDialect.Etsy)]
    [InlineData(StatsDDialect.DogStatsD)]
    [InlineData(StatsDDialect.Telegraf)]
    public async Task Lines_Are_Packed_Whole_Into_Datagrams_No_Larger_Than_The_Limit(StatsDDialect dialect)
    {
        RuntimeSnapshot snapshot = StatsDSnapshots.WithPauses();
        List<string> reference = await LinesAsync(new StatsDSinkOptions { Dialect = dialect, MaxDatagramBytes = 65507 }, snapshot);
        foreach (long size in new long[] { 256, 333, 1432 })
        {
            (StatsDSink sink, FakeStatsDTransport transport) = StatsDSnapshots.Sink(new StatsDSinkOptions { Dialect = dialect, MaxDatagramBytes = size });
            using (sink)
            {
                await sink.WriteAsync(snapshot, CancellationToken.None);
            }

            Assert.All(transport.Datagrams, d => Assert.InRange(d.Length, 1, size));
            Assert.DoesNotContain(transport.Datagrams, d => d[^1] == '\n' || d[0] == '\n');

            // Nothing is lost or split: the same lines in the same order, Etsy pause values aside, which re-pack into lines of their own.
            Assert.Equal(Without(reference, "dotnet.gc.pause.duration"), Without([.. transport.Lines], "dotnet.gc.pause.duration"));
            Assert.Equal(PauseValues(reference), PauseValues([.. transport.Lines]));
            Assert.Equal(0, sink.Health.Dropped);

            // A datagram is only cut when the next line would not fit.
            for (int i = 0; i + 1 < transport.Datagrams.Count; i++)
            {
                int next = Encoding.ASCII.GetString(transport.Datagrams[i + 1]).Split('\n')[0].Length;
                Assert.True(transport.Datagrams[i].Length + 1 + next > size, $"datagram {i} ({transport.Datagrams[i].Length} B) had room for the next line ({next} B)");
            }
        }
    }

    [Fact]
    public async Task A_Line_Longer_Than_A_Datagram_Is_Dropped_And_Counted_And_The_Rest_Is_Sent()
    {
        var options = new StatsDSinkOptions { Dialect = StatsDDialect.DogStatsD, MaxDatagramBytes = 64 };
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        List<string> all = await LinesAsync(new StatsDSinkOptions { Dialect = StatsDDialect.DogStatsD }, snapshot);
        (StatsDSink sink, FakeStatsDTransport transport) = StatsDSnapshots.Sink(options);
        using (sink)
        {
            await sink.WriteAsync(snapshot, CancellationToken.None);
        }

        Assert.Equal(all.Where(l => l.Length <= 64), transport.Lines);
        Assert.Equal(all.Count(l => l.Length > 64), sink.Health.TooLong);
        Assert.True(sink.Health.TooLong > 0);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    [InlineData("fa-IR")]
    public async Task Output_Does_Not_Depend_On_The_Current_Culture(string culture)
    {
        var options = new StatsDSinkOptions { Dialect = StatsDDialect.DogStatsD };
        string invariant = await StatsDSnapshots.RenderAsync(options, StatsDSnapshots.WithPauses());
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            Assert.Equal(invariant, await StatsDSnapshots.RenderAsync(options, StatsDSnapshots.WithPauses()));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public async Task Telegraf_Counters_Go_Out_Whole_And_Carry_Their_Fraction()
    {
        (StatsDSink sink, FakeStatsDTransport transport) = StatsDSnapshots.Sink(new StatsDSinkOptions { Dialect = StatsDDialect.Telegraf });
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        double sent = 0;
        using (sink)
        {
            foreach (double delta in new[] { 0.4, 0.4, 0.4, 2.25, 0.5 })
            {
                snapshot.Deltas[(int)MetricId.GcPauseTime] = delta;
                transport.Clear();
                await sink.WriteAsync(snapshot, CancellationToken.None);
                string line = transport.Lines.Single(l => l.StartsWith("dotnet.gc.pause.time:", StringComparison.Ordinal));
                sent += double.Parse(line["dotnet.gc.pause.time:".Length..line.IndexOf('|', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                Assert.DoesNotContain(".", line.Split(':')[1], StringComparison.Ordinal);
            }
        }

        Assert.Equal(3, sent);
    }

    [Theory]
    [InlineData(StatsDDialect.DogStatsD, "|d")]
    [InlineData(StatsDDialect.Telegraf, "|ms")]
    public async Task Pauses_Carry_Power_Of_Two_Sample_Rates_That_Add_Up_To_The_Count(StatsDDialect dialect, string type)
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        StatsDSnapshots.SetWindow(snapshot, StatsDSnapshots.Gen1Pauses, count: 1500, sum: 1.5, min: 0.0006, max: 0.0014, (6, 900), (7, 600));
        List<string> lines = [.. (await LinesAsync(new StatsDSinkOptions { Dialect = dialect }, snapshot)).Where(l => l.Contains("dotnet.gc.pause.duration", StringComparison.Ordinal))];
        double count = 0;
        double sum = 0;
        foreach (string line in lines)
        {
            string[] fields = line.Split('|');
            double rate = fields.FirstOrDefault(f => f.StartsWith('@')) is { } r ? double.Parse(r[1..], CultureInfo.InvariantCulture) : 1;
            double weight = 1 / rate;
            Assert.Equal(Math.Round(weight), weight);
            Assert.Equal(0, BitConverter.DoubleToInt64Bits(weight) & 0xF_FFFF_FFFF_FFFF);
            Assert.Equal(type, "|" + fields[1]);
            count += weight;
            sum += weight * double.Parse(fields[0][(fields[0].LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        }

        Assert.Equal(1500, count);
        Assert.Equal(dialect == StatsDDialect.DogStatsD ? 1.5 : 1500, sum, dialect == StatsDDialect.DogStatsD ? 1e-6 : 1e-3);
        Assert.True(lines.Count <= 24, $"{lines.Count} lines");
    }

    [Fact]
    public async Task Etsy_Sends_Each_Pause_As_A_Value_Up_To_The_Limit_Then_Sample_Rates()
    {
        RuntimeSnapshot snapshot = SnapshotFactory.Full();
        StatsDSnapshots.SetWindow(snapshot, StatsDSnapshots.Gen1Pauses, count: 1500, sum: 1.5, min: 0.0006, max: 0.0014, (6, 900), (7, 600));
        List<string> lines = [.. (await LinesAsync(new StatsDSinkOptions(), snapshot)).Where(l => l.Contains("dotnet.gc.pause.duration", StringComparison.Ordinal))];
        int values = lines.Where(l => !l.Contains('@', StringComparison.Ordinal)).Sum(l => l.Split(':').Length - 1);
        double sampled = lines.Where(l => l.Contains('@', StringComparison.Ordinal)).Sum(l => 1 / double.Parse(l[(l.IndexOf('@', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture));
        Assert.Equal(StatsDSampleWriter.EtsyRepeatLimit, values);
        Assert.Equal(500, sampled);
        Assert.All(lines, l => Assert.StartsWith("dotnet.gc.pause.duration.gen1.ephemeral:", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("unreachable")]
    [InlineData("buffer_full")]
    [InlineData("unresolved")]
    [InlineData("socket_error")]
    public async Task Every_Line_Of_A_Failed_Datagram_Is_Counted_Under_Its_Reason_And_Nothing_Throws(string reason)
    {
        StatsDSendResult failure = Enum.GetValues<StatsDSendResult>().Single(r => StatsDHealth.ReasonOf(r) == reason);
        RuntimeSnapshot snapshot = StatsDSnapshots.WithPauses();
        int lines = (await LinesAsync(new StatsDSinkOptions(), snapshot)).Count;
        (StatsDSink sink, FakeStatsDTransport transport) = StatsDSnapshots.Sink(new StatsDSinkOptions());
        using (sink)
        {
            transport.Result = failure;
            await sink.WriteAsync(snapshot, CancellationToken.None);
            await sink.WriteAsync(snapshot, CancellationToken.None);
            transport.Result = StatsDSendResult.Sent;
            await sink.WriteAsync(snapshot, CancellationToken.None);
        }

        double[] values = Health(sink);
        MetricId expected = failure switch
        {
            StatsDSendResult.Unreachable => MetricId.StatsDDroppedUnreachable,
            StatsDSendResult.BufferFull => MetricId.StatsDDroppedBufferFull,
            StatsDSendResult.Unresolved => MetricId.StatsDDroppedUnresolved,
            _ => MetricId.StatsDDroppedSocketError,
        };
        for (MetricId id = MetricId.StatsDDroppedTooLong; id <= MetricId.StatsDDroppedSocketError; id++)
        {
            Assert.Equal(id == expected ? 2 * lines : 0, values[(int)id]);
        }

        Assert.Equal(transport.Datagrams.Count, values[(int)MetricId.StatsDDatagramsSent]);
        Assert.Equal(lines, transport.Lines.Count());
    }

    [Fact]
    public async Task Several_StatsD_Sinks_Add_Up_In_The_Health_Figures()
    {
        (StatsDSink first, FakeStatsDTransport one) = StatsDSnapshots.Sink(new StatsDSinkOptions());
        (StatsDSink second, FakeStatsDTransport two) = StatsDSnapshots.Sink(new StatsDSinkOptions { MaxDatagramBytes = 300 });
        two.Result = StatsDSendResult.BufferFull;
        await first.WriteAsync(SnapshotFactory.Full(), CancellationToken.None);
        await second.WriteAsync(SnapshotFactory.Full(), CancellationToken.None);

        double[] values = new double[RuntimeMetricCatalog.Count];
        Array.Fill(values, 12345);
        ISinkHealthReporter[] reporters = [first, second];
        foreach (ISinkHealthReporter reporter in reporters)
        {
            reporter.ResetHealth(values);
        }

        foreach (ISinkHealthReporter reporter in reporters)
        {
            reporter.WriteHealth(values);
        }

        Assert.Equal(first.Health.Datagrams, values[(int)MetricId.StatsDDatagramsSent]);
        Assert.Equal(second.Health.BufferFull, values[(int)MetricId.StatsDDroppedBufferFull]);
        Assert.True(values[(int)MetricId.StatsDDroppedBufferFull] > 0);
        Assert.Equal(0, values[(int)MetricId.StatsDDroppedUnreachable]);
        Assert.Equal(12345, values[(int)MetricId.ProfilerSinkSkipped]);
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task A_Disposed_Sink_Refuses_To_Write_And_Has_Closed_Its_Transport()
    {
        (StatsDSink sink, FakeStatsDTransport transport) = StatsDSnapshots.Sink(new StatsDSinkOptions());
        await sink.DisposeAsync();
        sink.Dispose();
        Assert.True(transport.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sink.WriteAsync(SnapshotFactory.Full(), CancellationToken.None).AsTask());
    }

    [Fact]
    public void The_Sink_Describes_Where_It_Sends()
    {
        using var udp = new StatsDSink(new StatsDSinkOptions { Url = new Uri("udp://[::1]:9125"), Dialect = StatsDDialect.DogStatsD });
        using var unix = new StatsDSink(new StatsDSinkOptions { UnixSocketPath = "/var/run/datadog/dsd.socket" });
        Assert.Equal("udp://[::1]:9125", udp.Endpoint);
        Assert.Equal("unix:///var/run/datadog/dsd.socket", unix.Endpoint);
        Assert.Equal("StatsDSink(DogStatsD, udp://[::1]:9125)", udp.ToString());
    }

    private static double[] Health(StatsDSink sink)
    {
        double[] values = new double[RuntimeMetricCatalog.Count];
        ISinkHealthReporter reporter = sink;
        reporter.ResetHealth(values);
        reporter.WriteHealth(values);
        return values;
    }

    private static async Task<List<string>> LinesAsync(StatsDSinkOptions options, RuntimeSnapshot snapshot)
    {
        (StatsDSink sink, FakeStatsDTransport transport) = StatsDSnapshots.Sink(options);
        using (sink)
        {
            await sink.WriteAsync(snapshot, CancellationToken.None);
            return [.. transport.Lines];
        }
    }

    private static List<string> Without(List<string> lines, string part) => [.. lines.Where(l => !l.Contains(part, StringComparison.Ordinal))];

    private static List<string> PauseValues(List<string> lines) =>
        [.. lines.Where(l => l.Contains("dotnet.gc.pause.duration", StringComparison.Ordinal)).SelectMany(l => l.Split(':').Skip(1).Select(v => l[..l.IndexOf(':', StringComparison.Ordinal)] + ":" + v))];
}
