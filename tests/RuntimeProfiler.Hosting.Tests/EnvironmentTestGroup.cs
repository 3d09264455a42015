namespace RuntimeProfiling.Hosting.Tests;

/// <summary>Tests that set process environment variables run alone, so no other test reads them half-set.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentTestGroup
{
    public const string Name = "Environment";
}
