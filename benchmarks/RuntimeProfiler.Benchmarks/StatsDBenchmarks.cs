using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Benchmarks;

/// <summary>
/// One full sample (every figure of the catalog, counters with deltas, and a window of seven gen0 pauses) formatted
/// and sent by the StatsD sink over UDP (1432-byte datagrams) and a Unix datagram socket (8192 bytes), against the
/// floor of sending the same datagrams with nothing around them. A thread drains each receiver, as an agent would.
/// </summary>
/// <remarks>Results: see docs/benchmarks.md, section StatsD (the table there is pasted from the last run of this class).</remarks>
[MemoryDiagnoser]
[MedianColumn]
public class StatsDBenchmarks
{
    private readonly CancellationTokenSource _stop = new();
    private Socket _udpReceiver = null!;
    private Socket _unixReceiver = null!;
    private Socket _rawSender = null!;
    private string _socketPath = null!;
    private RuntimeSnapshot _snapshot = null!;
    private StatsDSink _udp = null!;
    private StatsDSink _unix = null!;
    private StatsDSink _formatOnly = null!;
    private byte[][] _datagrams = null!;

    [Params(StatsDDialect.Etsy, StatsDDialect.DogStatsD)]
    public StatsDDialect Dialect { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = RealSample();
        _udpReceiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _udpReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socketPath = Path.Combine(Path.GetTempPath(), $"rp-bench-{Environment.ProcessId}.sock");
        File.Delete(_socketPath);
        _unixReceiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _unixReceiver.Bind(new UnixDomainSocketEndPoint(_socketPath));
        Drain(_udpReceiver);
        Drain(_unixReceiver);

        int port = ((IPEndPoint)_udpReceiver.LocalEndPoint!).Port;
        _udp = new StatsDSink(Options(new StatsDSinkOptions { Port = port }));
        _unix = new StatsDSink(Options(new StatsDSinkOptions { UnixSocketPath = _socketPath }));

        // The floor: the very datagrams the UDP sink sends, sent raw on a connected socket.
        var capture = new CapturingTransport();
        using (var capturing = new StatsDSink(Options(new StatsDSinkOptions { Port = port }), TimeProvider.System, _ => capture))
        {
            capturing.WriteAsync(_snapshot, CancellationToken.None).GetAwaiter().GetResult();
        }

        _datagrams = [.. capture.Datagrams];
        _formatOnly = new StatsDSink(Options(new StatsDSinkOptions { Port = port }), TimeProvider.System, _ => new NullStatsDTransport());
        _rawSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _rawSender.Connect(_udpReceiver.LocalEndPoint!);
        _rawSender.Blocking = false;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _udp.Dispose();
        _formatOnly.Dispose();
        _unix.Dispose();
        _rawSender.Dispose();
        _udpReceiver.Dispose();
        _unixReceiver.Dispose();
        File.Delete(_socketPath);
    }

    /// <summary>The same datagrams as <see cref="Udp"/>, sent raw: what the kernel costs.</summary>
    [Benchmark(Baseline = true)]
    public void UdpRawDatagrams()
    {
        foreach (byte[] datagram in _datagrams)
        {
            _rawSender.Send(datagram, SocketFlags.None, out _);
        }
    }

    /// <summary>A full sample formatted and packed into UDP-sized datagrams that go nowhere: the sink's own cost.</summary>
    [Benchmark]
    public void FormatOnly() => _formatOnly.WriteAsync(_snapshot, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>A full sample formatted and sent over UDP.</summary>
    [Benchmark]
    public void Udp() => _udp.WriteAsync(_snapshot, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>A full sample formatted and sent over a Unix datagram socket.</summary>
    [Benchmark]
    public void UnixSocket() => _unix.WriteAsync(_snapshot, CancellationToken.None).GetAwaiter().GetResult();

    private StatsDSinkOptions Options(StatsDSinkOptions options)
    {
        options.Dialect = Dialect;
        if (Dialect != StatsDDialect.Etsy)
        {
            options.GlobalTags["service"] = "checkout";
            options.GlobalTags["env"] = "prod";
        }

        return options;
    }

    private void Drain(Socket receiver)
    {
        var thread = new Thread(() =>
        {
            byte[] buffer = new byte[65536];
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    receiver.Receive(buffer);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        })
        {
            IsBackground = true,
        };
        thread.Start();
    }

    /// <summary>Two real reads of this process, the second with counter deltas, and a window of seven gen0 pauses.</summary>
    private static RuntimeSnapshot RealSample()
    {
        using var sampler = new RuntimeSampler(TimeProvider.System);
        sampler.Start();
        var before = new RuntimeSnapshot();
        var sample = new RuntimeSnapshot();
        sampler.Read(before, null);
        sampler.Read(sample, before);
        foreach (MetricSeries series in RuntimeMetricCatalog.Series)
        {
            if (series.Kind == MetricKind.Counter)
            {
                sample.Deltas[series.Index] = sample.Values[series.Index] - before.Values[series.Index];
            }
        }

        int h = RuntimeMetricCatalog.Find("dotnet.gc.pause.duration", "gen0", "ephemeral")!.HistogramIndex;
        sample.HasHistograms = true;
        sample.HistogramCountWindow[h] = 7;
        sample.HistogramSumWindow[h] = 0.0029;
        sample.HistogramMinWindow[h] = 0.00012;
        sample.HistogramMaxWindow[h] = 0.00093;
        sample.HistogramBucketsWindow[(h * RuntimeSnapshot.BucketSlots) + 4] = 3;
        sample.HistogramBucketsWindow[(h * RuntimeSnapshot.BucketSlots) + 5] = 2;
        sample.HistogramBucketsWindow[(h * RuntimeSnapshot.BucketSlots) + 6] = 2;
        return sample;
    }

    private sealed class CapturingTransport : IStatsDTransport
    {
        public List<byte[]> Datagrams { get; } = [];

        public ValueTask PrepareAsync(CancellationToken cancellationToken) => default;

        public StatsDSendResult Send(ReadOnlySpan<byte> datagram)
        {
            Datagrams.Add(datagram.ToArray());
            return StatsDSendResult.Sent;
        }

        public void Dispose()
        {
        }
    }
}
