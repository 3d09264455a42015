using System.Globalization;
using System.Text.RegularExpressions;

namespace RuntimeProfiling.Cli.Attach;

/// <summary>
/// The .NET processes that can be attached to: those whose runtime opened a diagnostic socket,
/// <c>dotnet-diagnostic-{pid}-{key}-socket</c> in the temp folder. A killed process leaves its socket
/// behind, and its pid may be reused, so a socket counts only when its process lives and its key (the
/// process's start time) matches.
/// </summary>
internal static partial class DiagnosticSockets
{
    public static string Folder => Path.GetTempPath();

    /// <summary>Finds the live .NET processes with a diagnostic socket, in pid order, this process excepted.</summary>
    public static IReadOnlyList<TargetProcess> FindAttachable()
    {
        var found = new SortedDictionary<int, TargetProcess>();
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(Folder, "dotnet-diagnostic-*-socket");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        foreach (string file in files)
        {
            Match match = SocketName().Match(Path.GetFileName(file));
            // This tool is a .NET process too, with a socket of its own: not something to attach to.
            if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || found.ContainsKey(id) || id == Environment.ProcessId)
            {
                continue;
            }

            TargetProcess? process = TargetProcess.Find(id);
            bool sameProcess = process is not null
                && (process.StartTime is null || !long.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long key) || key == process.StartTime);
            if (sameProcess)
            {
                found[id] = process!;
            }
        }

        return [.. found.Values];
    }

    /// <summary>Whether the process has a live diagnostic socket of its own.</summary>
    public static bool IsAttachable(int id) => FindAttachable().Any(p => p.Id == id);

    [GeneratedRegex(@"^dotnet-diagnostic-(\d+)-(\d+)-socket$")]
    private static partial Regex SocketName();
}
