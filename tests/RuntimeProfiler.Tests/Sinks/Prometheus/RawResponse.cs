using System.Text;

namespace RuntimeProfiling.Tests.Sinks.Prometheus;

/// <summary>One response as <see cref="RawHttpClient"/> read it; header names match in any case.</summary>
internal sealed record RawResponse(string Version, int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
