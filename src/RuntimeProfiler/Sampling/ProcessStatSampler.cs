using System.Numerics;
using System.Runtime.Intrinsics;
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

        // The kernel separates fields by one space. Skipping them by counting spaces 16 bytes at a time takes
        // about 50 ns here; a search per field took 250 ns, a tenth of the whole sample.
        int threadsAt = SkipFields(stat, close + 1, NumThreadsField - 2);
        if (threadsAt < 0 || !TryParseCount(stat, threadsAt, out threads, out int threadsEnd))
        {
            return false;
        }

        int rssAt = SkipFields(stat, threadsEnd, RssField - NumThreadsField);
        return rssAt >= 0 && TryParseCount(stat, rssAt, out rssPages, out _);
    }

    /// <summary>Returns the index just after the <paramref name="spaces"/>-th space from <paramref name="start"/>, or -1.</summary>
    private static int SkipFields(ReadOnlySpan<byte> stat, int start, int spaces)
    {
        int i = start;
        Vector128<byte> space = Vector128.Create((byte)' ');
        while (i + Vector128<byte>.Count <= stat.Length)
        {
            uint mask = Vector128.Equals(Vector128.Create(stat.Slice(i, Vector128<byte>.Count)), space).ExtractMostSignificantBits();
            int found = BitOperations.PopCount(mask);
            if (found >= spaces)
            {
                for (int k = 1; k < spaces; k++)
                {
                    mask &= mask - 1;
                }

                return i + BitOperations.TrailingZeroCount(mask) + 1;
            }

            spaces -= found;
            i += Vector128<byte>.Count;
        }

        for (; i < stat.Length; i++)
        {
            if (stat[i] == (byte)' ' && --spaces == 0)
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>
    /// Parses the field of decimal digits at <paramref name="start"/>; a field with anything else in it, or more
    /// digits than a long surely holds, fails.
    /// </summary>
    private static bool TryParseCount(ReadOnlySpan<byte> stat, int start, out long value, out int end)
    {
        value = 0;
        int i = start;
        for (; i < stat.Length; i++)
        {
            uint digit = (uint)(stat[i] - '0');
            if (digit > 9)
            {
                break;
            }

            value = (value * 10) + digit;
        }

        end = i;
        return i > start && i - start <= 18 && (i == stat.Length || stat[i] is (byte)' ' or (byte)'\n');
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
