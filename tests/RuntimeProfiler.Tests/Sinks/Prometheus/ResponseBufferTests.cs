using System.Buffers;
using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

public sealed class ResponseBufferTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(16 * 1024)]
    [InlineData(17_491)]
    [InlineData(100_000)]
    public void A_Body_Larger_Than_The_Buffer_Is_Kept_Whole_After_The_Head(int length)
    {
        // A real exposition with the pause histograms is larger than the initial 16 KB: growing must not lose it.
        byte[] body = new byte[length];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        var buffer = new ResponseBuffer();
        buffer.Write(body);
        buffer.SetHead("HTTP/1.1 200 OK\r\n\r\n"u8);

        Assert.Equal(length, buffer.BodyLength);
        Assert.Equal("HTTP/1.1 200 OK\r\n\r\n"u8.ToArray().Concat(body), buffer.Message.ToArray());
    }

    [Fact]
    public void GetSpan_After_Filling_The_Buffer_Returns_Room_For_The_Hint()
    {
        var buffer = new ResponseBuffer();
        buffer.Advance(buffer.GetSpan().Length);
        Assert.True(buffer.GetSpan().Length >= 1);
        Assert.True(buffer.GetMemory(5000).Length >= 5000);
    }
}
