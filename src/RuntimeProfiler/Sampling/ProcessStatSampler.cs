using System.Buffers.Text;
using Microsoft.Win32.SafeHandles;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <summary>
/// Reads the resident set and the operating-system thread count. On Linux both come from one read of the
/// main thread's <c>/proc/self/task/PID/stat</c> through a handle kept open (about 1.3 µs, no allocation). It
/// carries the same two figures as <c>/proc/self/stat</c> (the memory and the thread count are the whole
/// process's), but the kernel does not sum CPU time over every thread to write it, so its cost barely grows
/// with the thread count (1.5 µs at 500 threads, against 12.5 µs for <c>/proc/self/stat</c>). Elsewhere the resident set
/// comes from <c>Environment.WorkingSet</c> (about 3 KB allocated per read) and the thread count is not reported.
/// </summary>
internal sealed class ProcessStatSampler : IDisposable
{
    // Fields after the command name, counted from 1 as proc(5) does; the name itself may hold spaces
    // and parentheses, so parsing starts after its last ')'.
    private const int NumThreadsField = 20;
    private const int RssField = 24;

    private readonly string[] _statPaths;
    private readonly byte[] _buffer = new byte[4096];
    private readonly long _pageSize = Environment.SystemPageSize;
    private SafeFileHandle? _stat;
    private int _pathIndex;

    public ProcessStatSampler()
        : this(OperatingSystem.IsLinux() ? [$"/proc/self/task/{Environment.ProcessId}/stat", "/proc/self/stat"] : [])
    {
    }

    /// <param name="statPaths">The stat files to read, in order of preference; each later one is the fallback of the one before.</param>
    internal ProcessStatSampler(params string[] statPaths) => _statPaths = statPaths;

    public bool UsesProcStat => _stat is not null;

    /// <summary>Gets the stat file being read, for tests.</summary>
    internal string? StatPath => _stat is null ? null : _statPaths[_pathIndex];

    /// <summary>Opens the handle kept for reads; without it, reads use the fallback.</summary>
    public void Open()
    {
        if (_stat is null)
        {
            OpenFrom(0);
        }
    }

    public void Read(Span<double> values)
    {
        values[(int)MetricId.ProcessWorkingSet] = double.NaN;
        values[(int)MetricId.ProcessThreads] = double.NaN;
        if (_stat is not null)
        {
            if (TryReadStat(out long rssPages, out long threads))
            {
                values[(int)MetricId.ProcessWorkingSet] = rssPages * _pageSize;
                values[(int)MetricId.ProcessThreads] = threads;
            }

            return;
        }

#pragma warning disable RS0030 // Documented fallback where /proc is not available; it allocates about 3 KB per read.
        values[(int)MetricId.ProcessWorkingSet] = Environment.WorkingSet;
#pragma warning restore RS0030
    }

    public void Dispose()
    {
        _stat?.Dispose();
        _stat = null;
    }

    private void OpenFrom(int first)
    {
        for (int i = first; i < _statPaths.Length; i++)
        {
            try
            {
                _stat = File.OpenHandle(_statPaths[i], FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                _pathIndex = i;
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A locked-down /proc (some sandboxes hide it) or a task entry not visible: try the next.
            }
        }

        _stat = null;
    }

    internal static bool TryParseStat(ReadOnlySpan<byte> stat, out long rssPages, out long threads)
    {
        rssPages = 0;
        threads = 0;
        int close = stat.LastIndexOf((byte)')');
        if (close < 0)
        {
            return false;
        }

        // Field 3 (state) follows ") ".
        ReadOnlySpan<byte> rest = stat[(close + 1)..];
        int field = 2;
        bool haveThreads = false;
        while (!rest.IsEmpty)
        {
            rest = rest.TrimStart((byte)' ');
            if (rest.IsEmpty)
            {
                break;
            }

            field++;
            int end = rest.IndexOfAny((byte)' ', (byte)'\n');
            ReadOnlySpan<byte> token = end < 0 ? rest : rest[..end];
            if (field == NumThreadsField)
            {
                haveThreads = Utf8Parser.TryParse(token, out threads, out _);
            }
            else if (field == RssField)
            {
                return haveThreads && Utf8Parser.TryParse(token, out rssPages, out _);
            }

            rest = end < 0 ? default : rest[(end + 1)..];
        }

        return false;
    }

    private bool TryReadStat(out long rssPages, out long threads)
    {
        while (true)
        {
            bool parsed;
            try
            {
                int read = RandomAccess.Read(_stat!, _buffer, fileOffset: 0);
                parsed = TryParseStat(_buffer.AsSpan(0, read), out rssPages, out threads);
            }
            catch (IOException)
            {
                rssPages = 0;
                threads = 0;
                parsed = false;
            }

            // A main thread that has exited while others run stays listed, with no memory: its stat then shows a
            // resident set of 0, which a live process never has. Read the next file from then on.
            if ((parsed && rssPages > 0) || _pathIndex + 1 >= _statPaths.Length)
            {
                return parsed;
            }

            _stat!.Dispose();
            OpenFrom(_pathIndex + 1);
            if (_stat is null)
            {
                return false;
            }
        }
    }
}
