using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>One flushed value: the path without its tags, the tags as <c>;k=v;k=v</c> (DogStatsD tags become these), and the value.</summary>
internal sealed record GraphiteLine(string Path, string Tags, double Value)
{
    public static bool TryParse(string line, [NotNullWhen(true)] out GraphiteLine? parsed)
    {
        parsed = null;
        string[] parts = line.Split(' ');
        if (parts.Length != 3 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return false;
        }

        int tags = parts[0].IndexOf(';', StringComparison.Ordinal);
        parsed = tags < 0 ? new GraphiteLine(parts[0], string.Empty, value) : new GraphiteLine(parts[0][..tags], parts[0][tags..], value);
        return true;
    }
}
