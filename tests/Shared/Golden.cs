using System.Runtime.CompilerServices;

namespace RuntimeProfiling.Tests.Shared;

/// <summary>
/// Golden-file assertions: the expected output is checked in beside the tests and compared byte for byte.
/// Run the tests with <c>UPDATE_GOLDEN=1</c> to rewrite the files after an intended change, then review the diff.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string fileName, string actual, [CallerFilePath] string callerPath = "")
    {
        string sourceDirectory = Path.Combine(FindProjectDirectory(callerPath), "Golden");
        string sourcePath = Path.Combine(sourceDirectory, fileName);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(sourceDirectory);
            File.WriteAllText(sourcePath, actual);
            return;
        }

        string expectedPath = File.Exists(sourcePath) ? sourcePath : Path.Combine(AppContext.BaseDirectory, "Golden", fileName);
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

    private static string FindProjectDirectory(string callerPath)
    {
        string? directory = Path.GetDirectoryName(callerPath);
        while (directory is not null && Directory.GetFiles(directory, "*.csproj").Length == 0)
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? AppContext.BaseDirectory;
    }
}
