using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RuntimeProfiling.Benchmarks.GcCapture;

/// <summary>
/// The host under test: threads that allocate small arrays in batches of 1,024 and keep one in 64 alive for a
/// while (so collections promote some work), counting batches. The GC rate follows from the allocation rate and
/// the gen0 budget (<c>DOTNET_GCgen0size</c>); with a pace, threads sleep whenever the GC count is ahead of it.
/// </summary>
internal sealed class AllocationWorkload : IDisposable
{
    public const int BatchSize = 1024;

    private readonly Thread[] _threads;
    private readonly PaddedCounter[] _batches;
    private readonly double _pace;
    private volatile bool _stop;

    public AllocationWorkload(int threads, double gcsPerSecondPace)
    {
        _pace = gcsPerSecondPace;
        _batches = new PaddedCounter[threads];
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            int slot = i;
            _threads[i] = new Thread(() => Run(slot)) { IsBackground = true, Name = "workload " + i };
        }
    }

    public long Allocations
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _batches.Length; i++)
            {
                sum += Volatile.Read(ref _batches[i].Value);
            }

            return sum * BatchSize;
        }
    }

    public void Start()
    {
        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
    }

    public void Dispose()
    {
        _stop = true;
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
    }

    private void Run(int slot)
    {
        object[] survivors = new object[4096];
        int next = 0;
        long start0 = GC.CollectionCount(0);
        long started = Stopwatch.GetTimestamp();
        while (!_stop)
        {
            for (int k = 0; k < BatchSize; k++)
            {
                byte[] item = Allocate();
                if ((k & 63) == 0)
                {
                    survivors[next++ & 4095] = item;
                }
            }

            Volatile.Write(ref _batches[slot].Value, _batches[slot].Value + 1);
            if (_pace > 0)
            {
                while (!_stop && GC.CollectionCount(0) - start0 >= _pace * Stopwatch.GetElapsedTime(started).TotalSeconds)
                {
                    Thread.Sleep(1);
                }
            }
        }

        GC.KeepAlive(survivors);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] Allocate() => new byte[48];

    /// <summary>One thread's counter, alone on its cache lines so threads do not slow each other down.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCounter
    {
        [FieldOffset(64)]
        public long Value;
    }
}
