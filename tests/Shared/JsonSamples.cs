using System.Text.Json;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>Reads samples written as JSON Lines (docs/json-schema.md).</summary>
internal static class JsonSamples
{
    /// <summary>Reads the exclusive collection counts (<c>dotnet.gc.collections</c> per generation) of one sample, when it has them.</summary>
    public static bool TryGetCollections(string line, out (long Gen0, long Gen1, long Gen2) collections)
    {
        collections = default;
        long?[] counts = new long?[3];
        using var document = JsonDocument.Parse(line);
        foreach (JsonElement metric in document.RootElement.GetProperty("metrics").EnumerateArray())
        {
            if (metric.GetProperty("name").GetString() == "dotnet.gc.collections"
                && metric.GetProperty("attributes").GetProperty("gc.heap.generation").GetString() is { } generation)
            {
                counts[generation[^1] - '0'] = (long)metric.GetProperty("value").GetDouble();
            }
        }

        if (counts[0] is not { } gen0 || counts[1] is not { } gen1 || counts[2] is not { } gen2)
        {
            return false;
        }

        collections = (gen0, gen1, gen2);
        return true;
    }

    /// <summary>Turns what the app prints (<c>collections c0 c1 c2</c>, from <see cref="GC.CollectionCount"/>, which counts a collection under every generation it collected) into the catalog's exclusive counts.</summary>
    public static (long Gen0, long Gen1, long Gen2) FromAppLine(string line)
    {
        long[] inclusive = [.. line.Split(' ')[1..].Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];
        return (inclusive[0] - inclusive[1], inclusive[1] - inclusive[2], inclusive[2]);
    }
}
