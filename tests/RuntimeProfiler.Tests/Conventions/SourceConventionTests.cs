using System.Text.RegularExpressions;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Conventions;

/// <summary>Rules of <c>STYLE.md</c> that a test can hold: the tree is the architecture.</summary>
public sealed partial class SourceConventionTests
{
    private static readonly string s_core = Path.Combine(Golden.RepositoryRoot(), "src", "RuntimeProfiler");

    [Fact]
    public void A_Sink_Folder_Never_References_Another_Sink_Folder()
    {
        string sinks = Path.Combine(s_core, "Sinks");
        foreach (string folder in Directory.GetDirectories(sinks))
        {
            string own = Path.GetFileName(folder);
            foreach (string file in Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in SinkNamespace().Matches(File.ReadAllText(file)))
                {
                    Assert.True(string.Equals(match.Groups[1].Value, own, StringComparison.Ordinal), $"{Path.GetRelativePath(s_core, file)} uses the {match.Groups[1].Value} sink");
                }
            }
        }
    }

    [Fact]
    public void The_Namespace_Of_Every_Core_File_Is_Its_Folder()
    {
        foreach (string file in Directory.GetFiles(s_core, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(s_core, Path.GetDirectoryName(file)!);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal))
            {
                continue;
            }

            string expected = relative == "." ? "RuntimeProfiling" : "RuntimeProfiling." + relative.Replace(Path.DirectorySeparatorChar, '.');
            Assert.Contains($"namespace {expected};", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_Core_Has_No_Package_References()
    {
        string project = File.ReadAllText(Path.Combine(s_core, "RuntimeProfiler.csproj"));
        Assert.DoesNotContain("PackageReference", project, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_Core_File_Has_One_Top_Level_Type_Named_After_It()
    {
        foreach (string file in Directory.GetFiles(s_core, "*.cs", SearchOption.AllDirectories))
        {
            string name = Path.GetFileNameWithoutExtension(file).Split('.')[0];
            string text = File.ReadAllText(file);
            MatchCollection types = TopLevelType().Matches(text);
            Assert.True(types.Count == 1, $"{Path.GetFileName(file)} declares {types.Count} top-level types");
            Assert.Equal(name, types[0].Groups[1].Value);
        }
    }

    [GeneratedRegex(@"RuntimeProfiling\.Sinks\.(\w+)")]
    private static partial Regex SinkNamespace();

    [GeneratedRegex(@"^(?:public |internal )?(?:static |sealed |abstract |readonly |ref )*(?:partial )?(?:class|interface|enum|struct|record struct|record) (\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();
}
