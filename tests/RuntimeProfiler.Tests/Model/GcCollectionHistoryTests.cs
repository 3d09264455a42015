using RuntimeProfiling.Model;

namespace RuntimeProfiling.Tests.Model;

public sealed class GcCollectionHistoryTests
{
    private const int Capacity = 8;

    private long _index;

    [Fact]
    public void Adding_Past_Capacity_Keeps_The_Newest_In_Order_And_Counts_Every_One()
    {
        var history = new GcCollectionHistory(Capacity);
        for (int i = 0; i < Capacity + 3; i++)
        {
            history.Add(Next());
        }

        Assert.Equal(Capacity, history.Count);
        Assert.Equal(Capacity + 3, history.Total);
        Assert.Equal([4, 5, 6, 7, 8, 9, 10, 11], Indexes(history));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Capacity - 1)]
    [InlineData(Capacity)]
    [InlineData(Capacity + 5)]
    public void A_Copy_Taken_Again_After_Adds_Holds_Exactly_What_The_Source_Holds(int added)
    {
        var source = new GcCollectionHistory(Capacity);
        for (int i = 0; i < 5; i++)
        {
            source.Add(Next());
        }

        var copy = new GcCollectionHistory(Capacity);
        copy.CopyFrom(source);
        for (int i = 0; i < added; i++)
        {
            source.Add(Next());
        }

        copy.CopyFrom(source);

        AssertSame(source, copy);
    }

    [Fact]
    public void A_Copy_Of_A_Copy_Follows_The_Source_Through_Every_Step()
    {
        var source = new GcCollectionHistory(Capacity);
        var middle = new GcCollectionHistory(Capacity);
        var last = new GcCollectionHistory(Capacity);
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < round % 4; i++)
            {
                source.Add(Next());
            }

            middle.CopyFrom(source);
            if (round % 3 == 0)
            {
                last.CopyFrom(middle);
                AssertSame(source, last);
            }
        }
    }

    [Fact]
    public void A_Copy_From_Another_Source_With_The_Same_Total_Takes_Every_Entry()
    {
        var first = new GcCollectionHistory(Capacity);
        var second = new GcCollectionHistory(Capacity);
        for (int i = 0; i < 3; i++)
        {
            first.Add(Next());
            second.Add(Next());
        }

        var copy = new GcCollectionHistory(Capacity);
        copy.CopyFrom(first);
        copy.CopyFrom(second);

        AssertSame(second, copy);
    }

    [Fact]
    public void A_Copy_That_Was_Added_To_Is_Copied_Whole_Again()
    {
        var source = new GcCollectionHistory(Capacity);
        source.Add(Next());
        var copy = new GcCollectionHistory(Capacity);
        copy.CopyFrom(source);
        var copyOfCopy = new GcCollectionHistory(Capacity);
        copyOfCopy.CopyFrom(copy);

        // The copy diverges from the source; the source gains as many entries, so the totals match.
        copy.Add(Next());
        source.Add(Next());
        copyOfCopy.CopyFrom(source);
        AssertSame(source, copyOfCopy);

        copyOfCopy.CopyFrom(copy);
        AssertSame(copy, copyOfCopy);
    }

    private static long[] Indexes(GcCollectionHistory history)
    {
        long[] indexes = new long[history.Count];
        for (int i = 0; i < history.Count; i++)
        {
            indexes[i] = history[i].Index;
        }

        return indexes;
    }

    private static void AssertSame(GcCollectionHistory expected, GcCollectionHistory actual)
    {
        Assert.Equal(expected.Total, actual.Total);
        Assert.Equal(Indexes(expected), Indexes(actual));
    }

    private GcCollectionInfo Next()
    {
        _index++;
        return new GcCollectionInfo(_index, _index, 0, GcCollectionKind.Ephemeral, TimeSpan.FromTicks(_index), TimeSpan.Zero, false, 0, 0, 0, DateTimeOffset.UnixEpoch);
    }
}
