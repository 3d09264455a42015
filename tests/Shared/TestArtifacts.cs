using System.Reflection;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>Where the apps a test project runs as processes were built (see tests/Directory.Build.targets).</summary>
internal static class TestArtifacts
{
    /// <summary>Gets the path of a built assembly the test project references with <c>RecordPath="true"</c>.</summary>
    public static string PathOf(string assemblyName)
    {
        string? path = typeof(TestArtifacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => string.Equals(a.Key, assemblyName, StringComparison.Ordinal))?.Value;
        Assert.True(path is not null, $"No path of {assemblyName} was recorded: reference it with RecordPath=\"true\".");
        Assert.True(File.Exists(path), $"{assemblyName} is not built at {path}.");
        return path;
    }

    /// <summary>Gets the runtime-profiler tool's assembly in its own build folder, with the startup-hook folder beside it.</summary>
    public static string Cli => PathOf("runtime-profiler");

    /// <summary>Gets the startup hook as the tool ships it.</summary>
    public static string StartupHook => Path.Combine(Path.GetDirectoryName(Cli)!, "startup-hook", "RuntimeProfiler.StartupHook.dll");

    public static string SampleApp => PathOf("RuntimeProfiler.SampleApp");

    public static string ConflictApp => PathOf("RuntimeProfiler.ConflictApp");
}
