namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>A fresh path for a Unix socket under the temporary folder, deleted (whatever bound it) when disposed.</summary>
internal sealed class TempSocketPath : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"rp-{Guid.NewGuid():N}.sock");

    public static implicit operator string(TempSocketPath socket) => socket.Path;

    public void Dispose() => File.Delete(Path);
}
