using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.Prometheus.Page;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.Prometheus.Page;

public sealed class LivePageTests
{
    private static readonly ProcessDescription s_process = new("orders-api", 4242, ".NET 10.0.0", "Server, concurrent", SnapshotFactory.Timestamp);

    [Fact]
    public void Defaults_To_One_Sample_A_Second_And_Fifteen_Minutes_Of_History()
    {
        var options = new LivePageOptions();
        Assert.Equal(TimeSpan.FromSeconds(1), options.Interval);
        Assert.Equal(TimeSpan.FromMinutes(15), options.History);
        Assert.Equal(900, options.HistoryCapacity);
        Assert.Equal(8, options.MaxStreams);
        Assert.Equal(LivePageOptions.MaximumHistorySamples, new LivePageOptions { Interval = TimeSpan.FromMilliseconds(100), History = TimeSpan.FromDays(1) }.HistoryCapacity);
    }

    [Theory]
    [InlineData(50, 15, 8, "Interval")]
    [InlineData(1000, 0.5, 8, "History")]
    [InlineData(1000, 15, 0, "MaxStreams")]
    [InlineData(1000, 15, 65, "MaxStreams")]
    public void Settings_Out_Of_Range_Are_Refused_By_Name(int intervalMilliseconds, double historyMinutes, int maxStreams, string name)
    {
        var options = new LivePageOptions { Interval = TimeSpan.FromMilliseconds(intervalMilliseconds), History = TimeSpan.FromMinutes(historyMinutes), MaxStreams = maxStreams };
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new LivePage(options));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public async Task Samples_On_Its_Timer_And_Encodes_Each_Sample_Into_The_History()
    {
        var clock = new FakeTimeProvider(SnapshotFactory.Timestamp);
        var source = new HardcodedSampleSource(clock);
        source.Set(MetricId.GcHeapTotalAllocated, 1000);
        await using LivePage page = Create(clock, source);
        page.Start();
        Assert.Equal(0, page.History.Latest);

        source.Set(MetricId.GcHeapTotalAllocated, 3000);
        clock.Advance(TimeSpan.FromSeconds(1));
        await page.WhenEncodedAsync();
        source.Set(MetricId.GcHeapTotalAllocated, 3500);
        clock.Advance(TimeSpan.FromSeconds(1));
        await page.WhenEncodedAsync();

        List<(string? Id, JsonElement Data)> events = Parse(Updates(page, lastEventId: null));
        Assert.Equal("hello", events[0].Id);
        Assert.Equal(2, events.Count - 1);
        Assert.Equal(2000, events[1].Data.GetProperty("v")[5].GetDouble());
        Assert.Equal(500, events[2].Data.GetProperty("v")[5].GetDouble());
        Assert.Equal(SnapshotFactory.Timestamp.AddSeconds(2).ToUnixTimeMilliseconds(), events[2].Data.GetProperty("t").GetInt64());
    }

    [Fact]
    public async Task The_Hello_Event_Describes_The_Process_The_Interval_And_The_Columns()
    {
        var clock = new FakeTimeProvider(SnapshotFactory.Timestamp);
        await using LivePage page = Create(clock, new HardcodedSampleSource(clock));
        JsonElement hello = Parse(Updates(page, lastEventId: null))[0].Data;

        Assert.Equal(Encoding.ASCII.GetString(page.Instance), hello.GetProperty("instance").GetString());
        Assert.Equal(1, hello.GetProperty("interval").GetDouble());
        Assert.Equal(900, hello.GetProperty("capacity").GetInt32());
        JsonElement process = hello.GetProperty("process");
        Assert.Equal("orders-api", process.GetProperty("name").GetString());
        Assert.Equal(4242, process.GetProperty("pid").GetInt32());
        Assert.Equal(".NET 10.0.0", process.GetProperty("runtime").GetString());
        Assert.Equal("Server, concurrent", process.GetProperty("gc").GetString());
        Assert.Equal(SnapshotFactory.Timestamp.ToUnixTimeMilliseconds(), process.GetProperty("started").GetInt64());
        Assert.Equal(LiveFrameEncoder.Columns, hello.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!));
        Assert.StartsWith("retry: 1000\nevent: hello\n", Encoding.UTF8.GetString(page.Hello), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Page_That_Saw_Frames_Of_This_Instance_Gets_Only_The_Newer_Ones_And_No_Hello()
    {
        var clock = new FakeTimeProvider(SnapshotFactory.Timestamp);
        await using LivePage page = Create(clock, new HardcodedSampleSource(clock));
        page.Start();
        for (int i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await page.WhenEncodedAsync();
        }

        string instance = Encoding.ASCII.GetString(page.Instance);
        Assert.Equal([$"{instance}-3"], Parse(Updates(page, $"{instance}-2")).Select(e => e.Id));
        Assert.Empty(Updates(page, $"{instance}-3"));

        // Another instance's id (a restarted process) or a malformed one: the hello and the whole history.
        Assert.Equal(["hello", $"{instance}-1", $"{instance}-2", $"{instance}-3"], Parse(Updates(page, "0000000000000000-2")).Select(e => e.Id));
        Assert.Equal(4, Parse(Updates(page, $"{instance}-x")).Count);
    }

    [Fact]
    public async Task A_Stream_Sends_The_Hello_The_History_And_Each_New_Frame_Until_The_Page_Stops()
    {
        var clock = new FakeTimeProvider(SnapshotFactory.Timestamp);
        await using LivePage page = Create(clock, new HardcodedSampleSource(clock));
        page.Start();
        clock.Advance(TimeSpan.FromSeconds(1));
        await page.WhenEncodedAsync();

        using LivePageViewer viewer = page.OpenStream(lastEventId: null)!;
        using var output = new NotifyingStream();
        Task streaming = viewer.CopyToAsync(output, CancellationToken.None);
        await output.WaitForAsync(text => Parse(text).Count == 2);

        clock.Advance(TimeSpan.FromSeconds(1));
        await page.WhenEncodedAsync();
        await output.WaitForAsync(text => Parse(text).Count == 3);

        await page.StopAsync();
        await streaming.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["hello", "1", "2"], Parse(output.Text).Select(e => e.Id!.Split('-')[^1]));
    }

    [Fact]
    public async Task A_Stop_During_A_Sample_Waits_For_It_So_No_Delivery_Thread_Outlives_The_Stop()
    {
        var clock = new FakeTimeProvider(SnapshotFactory.Timestamp);
        var source = new HardcodedSampleSource(clock);
        await using LivePage page = Create(clock, source);
        page.Start();

        // The page's timer fires on the advancing thread, and its read is held there.
        using var reading = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        source.Reading = () =>
        {
            reading.Release();
            release.Wait(TimeSpan.FromSeconds(30));
        };
        Task tick = Task.Run(() => clock.Advance(TimeSpan.FromSeconds(1)));
        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        source.Reading = null;

        // The stop cannot end before the sample it came during; the wait bounds how long it is given to do so.
        Task stopping = Task.Run(page.StopAsync);
        await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(stopping.IsCompleted, "the stop ended while a sample was in flight");
        release.Set();
        await Task.WhenAll(tick, stopping).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(page.HasDeliveryThread);
        Assert.Equal(1, page.History.Latest);
    }

    [Fact]
    public async Task Streams_Beyond_The_Limit_Are_Refused_Until_One_Ends()
    {
        var clock = new FakeTimeProvider(SnapshotFactory.Timestamp);
        await using LivePage page = Create(clock, new HardcodedSampleSource(clock), maxStreams: 1);
        page.Start();
        LivePageViewer? first = page.OpenStream(null);
        Assert.NotNull(first);
        Assert.Null(page.OpenStream(null));
        first.Dispose();
        using LivePageViewer? second = page.OpenStream(null);
        Assert.NotNull(second);
    }

    [Fact]
    public void The_Files_Are_Embedded_With_Their_Media_Types_And_Compressed_Copies()
    {
        LivePageFile page = LivePage.GetFile(string.Empty)!;
        Assert.Equal("text/html; charset=utf-8", page.ContentType);
        string html = Encoding.UTF8.GetString(page.Content.Span);
        Assert.Contains("<script src=\"assets/live.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.Same(page, LivePage.GetFile("index.html"));

        LivePageFile uPlot = LivePage.GetFile("assets/uPlot.iife.min.js")!;
        Assert.Equal("text/javascript; charset=utf-8", uPlot.ContentType);
        Assert.Contains("uPlot", Encoding.UTF8.GetString(uPlot.Content.Span), StringComparison.Ordinal);
        Assert.True(uPlot.GzipContent.Length < uPlot.Content.Length / 2);
        Assert.Equal("text/css; charset=utf-8", LivePage.GetFile("assets/uPlot.min.css")!.ContentType);
        Assert.Equal("image/svg+xml", LivePage.GetFile("favicon.ico")!.ContentType);
        Assert.Null(LivePage.GetFile("assets/../../etc/passwd"));
        Assert.Null(LivePage.GetFile("metrics"));
    }

    [Fact]
    public void The_Script_Asks_No_Other_Host()
    {
        foreach (string name in new[] { "assets/live.js", "assets/live.css", string.Empty })
        {
            string text = Encoding.UTF8.GetString(LivePage.GetFile(name)!.Content.Span);
            Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("//cdn", text, StringComparison.Ordinal);
        }
    }

    internal static LivePage Create(FakeTimeProvider clock, HardcodedSampleSource source, int maxStreams = 4)
    {
        var scraper = new PrometheusScraper(new PrometheusScraperOptions(), clock, source);
        return new LivePage(new LivePageOptions(), scraper, ownsScraper: true, s_process, samplesOnTimer: true, maxStreams, clock);
    }

    internal static string Updates(LivePage page, string? lastEventId)
    {
        var buffer = new ArrayBufferWriter<byte>();
        page.WriteUpdates(buffer, lastEventId);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads Server-Sent Events: each message's id ("hello" for the hello event) and its data.</summary>
    internal static List<(string? Id, JsonElement Data)> Parse(string text)
    {
        var events = new List<(string?, JsonElement)>();
        foreach (string block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string[] lines = block.Split('\n');
            string? data = lines.FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..];
            if (data is null)
            {
                continue;
            }

            string? id = lines.Contains("event: hello") ? "hello" : lines.FirstOrDefault(l => l.StartsWith("id: ", StringComparison.Ordinal))?["id: ".Length..];
            events.Add((id, JsonDocument.Parse(data).RootElement.Clone()));
        }

        return events;
    }
}
