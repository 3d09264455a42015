using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.StatsD;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Tests.Sinks.StatsD;

/// <summary>One test per sanitizing rule of <c>docs/statsd.md</c>, checked on what reaches the wire.</summary>
public sealed class StatsDSanitizerTests
{
    [Theory]
    [InlineData(StatsDDialect.Etsy, "my-app:v1|x@y#z,w=q", "my-app_v1_x_y_z_w_q")]
    [InlineData(StatsDDialect.Telegraf, "my-app:v1|x@y#z,w=q", "my-app_v1_x_y_z_w_q")]
    [InlineData(StatsDDialect.DogStatsD, "my-app:v1|x@y#z,w=q", "my_app_v1_x_y_z_w_q")]
    public void Names_Keep_Letters_Digits_Underscores_Dots_And_Dashes_Except_DogStatsD_Dashes(StatsDDialect dialect, string prefix, string expected)
    {
        Assert.Equal(expected + ".dotnet.gc.heap.size", NameOf(First(dialect, prefix, "dotnet.gc.heap.size")));
    }

    [Fact]
    public void A_Prefix_Loses_Surrounding_Dots_And_Spaces_And_Is_Joined_With_One_Dot()
    {
        Assert.Equal("a.b.dotnet.gc.heap.size", NameOf(First(StatsDDialect.Etsy, " .a.b. ", "dotnet.gc.heap.size")));
        Assert.Equal("dotnet.gc.heap.size", NameOf(First(StatsDDialect.Etsy, " ... ", "dotnet.gc.heap.size")));
    }

    [Fact]
    public void Line_Breaks_And_Non_Ascii_Characters_Cannot_Break_A_Line()
    {
        string line = First(StatsDDialect.Etsy, "caf\u00e9\nx\r\ty", "dotnet.gc.heap.size");
        Assert.Equal("caf__x__y.dotnet.gc.heap.size:52428800|g", line);
    }

    [Fact]
    public void DogStatsD_Tag_Keys_Lose_Colons_And_Every_Separator()
    {
        string line = FirstWithTag(StatsDDialect.DogStatsD, "team:a,b|c#d e=f@g", "x");
        Assert.EndsWith("|#team_a_b_c_d_e_f_g:x", line, StringComparison.Ordinal);
    }

    [Fact]
    public void DogStatsD_Tag_Values_Keep_Colons_And_Slashes_But_No_Separator()
    {
        string line = FirstWithTag(StatsDDialect.DogStatsD, "image", "registry:5000/app,v|2#x y@z=w");
        Assert.EndsWith("|#image:registry:5000/app_v_2_x_y_z_w", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Telegraf_Tag_Keys_And_Values_Lose_Colons_Equals_Commas_And_Pipes()
    {
        string line = FirstWithTag(StatsDDialect.Telegraf, "team:a=b", "registry:5000/app,v|2 x");
        Assert.Equal("dotnet.gc.heap.size,team_a_b=registry_5000/app_v_2_x:52428800|g", line);
    }

    [Fact]
    public void Etsy_Folds_Attribute_Values_Into_The_Name()
    {
        string line = First(StatsDDialect.Etsy, null, "dotnet.gc.collections");
        Assert.Equal("dotnet.gc.collections.gen0:30|c", line);
    }

    [Fact]
    public void Attributes_Come_First_Then_Global_Tags_In_Key_Order()
    {
        var options = new StatsDSinkOptions { Dialect = StatsDDialect.DogStatsD };
        options.GlobalTags["version"] = "1.2";
        options.GlobalTags["env"] = "prod";
        options.GlobalTags["service"] = "web";
        string line = Lines(options).First(l => l.StartsWith("dotnet.gc.collections:", StringComparison.Ordinal));
        Assert.Equal("dotnet.gc.collections:30|c|#gc.heap.generation:gen0,env:prod,service:web,version:1.2", line);
    }

    [Fact]
    public void Etsy_Has_No_Tags_So_Global_Tags_Are_Refused()
    {
        var options = new StatsDSinkOptions { Dialect = StatsDDialect.Etsy };
        options.GlobalTags["env"] = "prod";
        ArgumentException e = Assert.Throws<ArgumentException>(() => new StatsDSink(options));
        Assert.Equal(nameof(StatsDSinkOptions.GlobalTags), e.ParamName);
    }

    private static string First(StatsDDialect dialect, string? prefix, string name) =>
        Lines(new StatsDSinkOptions { Dialect = dialect, Prefix = prefix }).First(l => NameOf(l).EndsWith(name, StringComparison.Ordinal) || NameOf(l).Contains(name + ".", StringComparison.Ordinal));

    private static string FirstWithTag(StatsDDialect dialect, string key, string value)
    {
        var options = new StatsDSinkOptions { Dialect = dialect };
        options.GlobalTags[key] = value;
        return Lines(options).First(l => l.StartsWith("dotnet.gc.heap.size", StringComparison.Ordinal));
    }

    private static string NameOf(string line) => line[..line.IndexOfAny([':', ','])];

    private static List<string> Lines(StatsDSinkOptions options)
    {
        (StatsDSink sink, FakeStatsDTransport transport) = StatsDSnapshots.Sink(options);
        using (sink)
        {
            sink.WriteAsync(SnapshotFactory.Full(), CancellationToken.None).GetAwaiter().GetResult();
            return [.. transport.Lines];
        }
    }
}
