using System.IO.Compression;

namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>
/// The page's files, embedded in the assembly by the build (the page, its script and style, uPlot's from npm, the
/// icon), loaded and compressed once, on first use.
/// </summary>
internal static class LivePageFiles
{
    private static readonly Lazy<Entry[]> s_files = new(Load);

    /// <summary>Finds a file by its path relative to the page (see <see cref="LivePage.GetFile"/>).</summary>
    public static LivePageFile? Find(ReadOnlySpan<byte> path)
    {
        foreach (Entry entry in s_files.Value)
        {
            foreach (byte[] name in entry.Paths)
            {
                if (path.SequenceEqual(name))
                {
                    return entry.File;
                }
            }
        }

        return null;
    }

    private static Entry[] Load() =>
    [
        Read("index.html", "text/html; charset=utf-8", string.Empty, "index.html"),
        Read("live.js", "text/javascript; charset=utf-8", "assets/live.js"),
        Read("live.css", "text/css; charset=utf-8", "assets/live.css"),
        Read("uPlot.iife.min.js", "text/javascript; charset=utf-8", "assets/uPlot.iife.min.js"),
        Read("uPlot.min.css", "text/css; charset=utf-8", "assets/uPlot.min.css"),
        Read("favicon.svg", "image/svg+xml", "favicon.svg", "favicon.ico"),
    ];

    private static Entry Read(string resource, string contentType, params string[] paths)
    {
        using Stream stream = typeof(LivePageFiles).Assembly.GetManifestResourceStream("RuntimeProfiler.Page." + resource)
            ?? throw new InvalidOperationException($"The live page's file {resource} is not embedded in the assembly: the build failed to include it.");
        byte[] content = new byte[stream.Length];
        stream.ReadExactly(content);
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return new Entry([.. paths.Select(System.Text.Encoding.ASCII.GetBytes)], new LivePageFile(contentType, content, compressed.ToArray()));
    }

    private sealed record Entry(byte[][] Paths, LivePageFile File);
}
