namespace RuntimeProfiling.Tests;

/// <summary>Tests that force collections, count threads or measure exact figures run alone, so other tests cannot move those figures meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTestGroup
{
    public const string Name = "Serial";
}
