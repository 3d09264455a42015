using System.Net;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sampling;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.Benchmarks;

/// <summary>
/// What the live page costs the host per sample. <c>EncodeFrame</c>: one sample as one Server-Sent Events frame (the
/// page's whole per-sample work when nobody watches, beside the sample read itself). <c>SampleToViewers</c>: one
/// sample of the standalone endpoint's page, end to end over loopback: read the runtime, encode, keep it in the history
/// ring, and send it on the event stream of every viewer, measured until each viewer's socket has received it.
/// </summary>
/// <remarks>
/// The viewers' reads run in this process too, so SampleToViewers is an upper bound of the host's share. Allocation is
/// process-wide: it includes the endpoint's sends. Results: see docs/benchmarks.md, Live page section.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class LivePageBenchmarks
{
    private readonly byte[] _frame = new byte[LiveFrameEncoder.MaxFrameBytes];
    private readonly byte[] _id = Encoding.ASCII.GetBytes("0123456789abcdef-1000000");
    private readonly byte[] _received = new byte[64 * 1024];
    private RuntimeSnapshot _snapshot = null!;
    private PrometheusEndpoint _endpoint = null!;
    private Socket[] _viewers = [];

    /// <summary>Gets or sets how many pages stream the updates.</summary>
    [Params(0, 1, 4)]
    public int Viewers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var sampler = new RuntimeSampler(TimeProvider.System);
        sampler.Start();
        _snapshot = new RuntimeSnapshot();
        sampler.Read(_snapshot, null);
        _snapshot.Elapsed = TimeSpan.FromSeconds(1);

        // The page's own timer waits an hour: every sample measured is one the benchmark asked for.
        _endpoint = new PrometheusEndpoint(new PrometheusEndpointOptions
        {
            Port = 0,
            Page = new LivePageOptions { Interval = LivePageOptions.MaximumInterval },
        });
        _endpoint.Start();
        _viewers = new Socket[Viewers];
        for (int i = 0; i < Viewers; i++)
        {
            var viewer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            viewer.Connect(_endpoint.LocalEndPoint!);
            viewer.Send("GET /events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"u8);
            _viewers[i] = viewer;

            // The response head and the hello event; the history is empty, so nothing else comes before the first sample.
            ReadUntil(viewer, "event: hello\n"u8, "}\n\n"u8);
        }

        // A first frame on every stream, so the measured ones are steady-state.
        SampleToViewers();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (Socket viewer in _viewers)
        {
            viewer.Dispose();
        }

        _endpoint.Dispose();
    }

    /// <summary>One sample encoded as one frame into a reused buffer.</summary>
    [Benchmark(Baseline = true)]
    public int EncodeFrame() => LiveFrameEncoder.Write(_snapshot, _id, _frame);

    /// <summary>One sample of the endpoint's page, until every viewer has received its frame.</summary>
    [Benchmark]
    public void SampleToViewers()
    {
        // Spun on rather than awaited: blocking on a task would allocate, in the benchmark, not in the host.
        LivePage page = _endpoint.Page!;
        long before = page.History.Latest;
        page.Sample();
        var spin = default(SpinWait);
        while (page.IsEncoding)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (page.History.Latest != before + 1)
        {
            throw new InvalidOperationException("The sample was skipped: the page was still encoding the one before.");
        }

        foreach (Socket viewer in _viewers)
        {
            ReadUntil(viewer, "\ndata: {"u8, "}\n\n"u8);
        }
    }

    // Reads until an event holding `start` has ended; a heartbeat comment (":\n\n") may come before it, never inside it.
    private void ReadUntil(Socket socket, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end)
    {
        int length = 0;
        while (true)
        {
            int read = socket.Receive(_received.AsSpan(length));
            if (read == 0)
            {
                throw new InvalidOperationException("The endpoint closed the stream.");
            }

            length += read;
            Span<byte> received = _received.AsSpan(0, length);
            int at = received.IndexOf(start);
            if (at >= 0 && received[at..].IndexOf(end) >= 0)
            {
                return;
            }
        }
    }
}
