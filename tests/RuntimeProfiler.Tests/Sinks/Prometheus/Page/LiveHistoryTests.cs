using System.Text;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Tests.Sinks.Prometheus.Page;

public sealed class LiveHistoryTests
{
    [Fact]
    public void Keeps_The_Latest_Frames_In_Order_And_Numbers_Them_From_One()
    {
        var history = new LiveHistory(capacity: 3, slotBytes: 16, maxViewers: 1);
        Assert.Equal(0, history.Latest);
        for (int i = 1; i <= 5; i++)
        {
            history.Publish(Encoding.ASCII.GetBytes($"f{i};"));
        }

        long next = 0;
        byte[] buffer = new byte[64];
        int written = history.Copy(ref next, buffer);
        Assert.Equal("f3;f4;f5;", Encoding.ASCII.GetString(buffer, 0, written));
        Assert.Equal(6, next);
        Assert.Equal(5, history.Latest);
        Assert.Equal(3, history.Oldest);
        Assert.Equal(0, history.Dropped);
    }

    [Fact]
    public void A_Viewer_More_Than_The_Ring_Behind_Skips_To_The_Oldest_Frame_And_It_Is_Counted()
    {
        var history = new LiveHistory(capacity: 2, slotBytes: 16, maxViewers: 1);
        for (int i = 1; i <= 6; i++)
        {
            history.Publish(Encoding.ASCII.GetBytes($"f{i};"));
        }

        long next = 2;
        byte[] buffer = new byte[64];
        int written = history.Copy(ref next, buffer);
        Assert.Equal("f5;f6;", Encoding.ASCII.GetString(buffer, 0, written));
        Assert.Equal(3, history.Dropped);
    }

    [Fact]
    public void Copies_Only_Whole_Frames_That_Fit_And_Resumes_After_Them()
    {
        var history = new LiveHistory(capacity: 4, slotBytes: 16, maxViewers: 1);
        history.Publish("aaaa"u8);
        history.Publish("bbbb"u8);
        history.Publish("cccc"u8);

        long next = 0;
        byte[] buffer = new byte[9];
        Assert.Equal(8, history.Copy(ref next, buffer));
        Assert.Equal("aaaabbbb", Encoding.ASCII.GetString(buffer, 0, 8));
        Assert.Equal(4, history.Copy(ref next, buffer));
        Assert.Equal("cccc", Encoding.ASCII.GetString(buffer, 0, 4));
        Assert.Equal(0, history.Copy(ref next, buffer));
    }

    [Fact]
    public async Task Publishing_Wakes_Every_Viewer_And_Viewers_Are_Limited()
    {
        var history = new LiveHistory(capacity: 4, slotBytes: 16, maxViewers: 2);
        var first = new ViewerSignal();
        var second = new ViewerSignal();
        Assert.True(history.TryAddViewer(first));
        Assert.True(history.TryAddViewer(second));
        Assert.False(history.TryAddViewer(new ViewerSignal()));
        Assert.Equal(2, history.Viewers);

        ValueTask waiting = first.WaitAsync();
        Assert.False(waiting.IsCompleted);
        history.Publish("x"u8);
        await waiting;
        Assert.True(second.WaitAsync().IsCompleted, "A signal set while nobody waited is kept for the next wait.");

        history.RemoveViewer(first);
        Assert.True(history.TryAddViewer(new ViewerSignal()));
    }

    [Fact]
    public async Task A_Signal_Cleared_Before_A_New_Viewer_Does_Not_Wake_It()
    {
        var signal = new ViewerSignal();
        signal.Set();
        signal.Clear();
        ValueTask waiting = signal.WaitAsync();
        Assert.False(waiting.IsCompleted);
        signal.Set();
        await waiting;
    }
}
