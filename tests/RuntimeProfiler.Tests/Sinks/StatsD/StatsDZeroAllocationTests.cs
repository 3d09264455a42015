using System.Net;
using System.Net.Sockets;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Tests.Sinks.StatsD;

/// <summary>
/// Formatting and sending a full sample, pauses included, over real sockets allocates nothing once warm.
/// Allocation is exact per thread; a window in which a GC ran is measured again.
/// </summary>
[Collection(SerialTestGroup.Name)]
public sealed class StatsDZeroAllocationTests
{
    [Theory]
    [InlineData(StatsDDialect.Etsy)]
    [InlineData(StatsDDialect.DogStatsD)]
    [InlineData(StatsDDialect.Telegraf)]
    public void A_Sample_Sent_Over_Udp_Allocates_Nothing(StatsDDialect dialect)
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new StatsDSinkOptions { Dialect = dialect, Port = ((IPEndPoint)receiver.LocalEndPoint!).Port };
        if (dialect != StatsDDialect.Etsy)
        {
            options.GlobalTags["service"] = "checkout";
        }

        using var sink = new StatsDSink(options);
        RuntimeSnapshot snapshot = StatsDSnapshots.WithPauses();
        Allocations.AssertNone(() => sink.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult(), () => Drain(receiver));
        Assert.Equal(0, sink.Health.Dropped);
        Assert.True(sink.Health.Datagrams > 20);
    }

    [Fact]
    public void A_Sample_Sent_Over_A_Unix_Socket_Allocates_Nothing()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rp-alloc-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            using var sink = new StatsDSink(new StatsDSinkOptions { UnixSocketPath = path, Dialect = StatsDDialect.DogStatsD });
            RuntimeSnapshot snapshot = StatsDSnapshots.WithPauses();
            Allocations.AssertNone(() => sink.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult(), () => Drain(receiver));
            Assert.Equal(0, sink.Health.Dropped);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_Sample_Refused_By_A_Closed_Port_Allocates_Nothing_Either()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        using var sink = new StatsDSink(new StatsDSinkOptions { Port = port });
        RuntimeSnapshot snapshot = StatsDSnapshots.WithPauses();
        Allocations.AssertNone(() => sink.WriteAsync(snapshot, CancellationToken.None).GetAwaiter().GetResult());
        Assert.True(sink.Health.Unreachable > 0);
    }

    private static void Drain(Socket receiver)
    {
        byte[] buffer = new byte[65536];
        while (receiver.Available > 0)
        {
            receiver.Receive(buffer);
        }
    }
}
