namespace RuntimeProfiling.Agent.Tests;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1s", 1_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("00:00:05", 5_000)]
    [InlineData("01:02:03", 3_723_000)]
    [InlineData("0", 0)]
    public void Parses_Durations_With_Units_And_Clock_Notation(string text, long milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out TimeSpan duration, out string error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("5", "unit")]
    [InlineData("-1s", "negative")]
    [InlineData("5 parsecs", "unit")]
    [InlineData("fast", "not a duration")]
    [InlineData("1:xx", "not a duration")]
    public void Rejects_Bad_Durations_With_A_Reason(string text, string reason)
    {
        Assert.False(DurationParser.TryParse(text, out _, out string error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
