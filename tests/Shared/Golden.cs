using System.Reflection;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>
/// Golden-file assertions: the expected output is checked in under the test project's <c>Golden/</c>
/// folder (copied next to the test assembly) and compared byte for byte. Run the tests with
/// <c>UPDATE_GOLDEN=1</c> to rewrite the checked-in files after an intended change, then review the diff.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string fileName, string actual)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            string sourceDirectory = Path.Combine(RepositoryRoot(), "tests", Assembly.GetExecutingAssembly().GetName().Name!, "Golden");
            Directory.CreateDirectory(sourceDirectory);
            File.WriteAllText(Path.Combine(sourceDirectory, fileName), actual);
            return;
        }

        string expectedPath = Path.Combine(AppContext.BaseDirectory, "Golden", fileName);
        Assert.True(File.Exists(expectedPath), $"Golden file {fileName} is missing; run the tests with UPDATE_GOLDEN=1 to create it.");
        string expected = File.ReadAllText(expectedPath);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            string[] e = expected.Split('\n');
            string[] a = actual.Split('\n');
            int line = 0;
            while (line < e.Length && line < a.Length && string.Equals(e[line], a[line], StringComparison.Ordinal))
            {
                line++;
            }

            Assert.Fail($"{fileName} differs at line {line + 1}:\n expected: {(line < e.Length ? e[line] : "<end>")}\n   actual: {(line < a.Length ? a[line] : "<end>")}");
        }
    }

    /// <summary>Finds the repository root (the folder holding <c>RuntimeProfiler.slnx</c>) above the test assembly.</summary>
    public static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "RuntimeProfiler.slnx")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("The repository root (with RuntimeProfiler.slnx) was not found above " + AppContext.BaseDirectory);
    }
}
