using RuntimeProfiling.Collection;

namespace RuntimeProfiling.Cli.Commands;

/// <summary>The sinks a command writes to, and what they hold (sockets, endpoints) to release at the end.</summary>
internal sealed class SinkSet : IAsyncDisposable
{
    public List<IRuntimeMetricsSink> Sinks { get; } = [];

    /// <summary>Gets what the sinks hold, released in reverse order when the set is disposed.</summary>
    public List<IAsyncDisposable> Resources { get; } = [];

    public async ValueTask DisposeAsync()
    {
        for (int i = Resources.Count - 1; i >= 0; i--)
        {
            await Resources[i].DisposeAsync().ConfigureAwait(false);
        }

        Resources.Clear();
    }
}
