using System.Globalization;
using System.Text;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Tests.Sinks.StatsD;

public sealed class StatsDNumberTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(52428800, "52428800")]
    [InlineData(-17, "-17")]
    [InlineData(0.0045, "0.0045")]
    [InlineData(1795685410.125, "1795685410.125")]
    [InlineData(0.0000031, "0.0000031")]
    [InlineData(-1.5e-9, "-0.0000000015")]
    [InlineData(9.5367431640625e-7, "0.00000095367431640625")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1.25e21, "1250000000000000000000")]
    [InlineData(123456.789, "123456.789")]
    public void Values_Are_Written_In_Plain_Notation_Never_With_An_Exponent(double value, string expected)
    {
        Assert.Equal(expected, Format(value));
        Assert.Equal(value, double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Negative_Zero_Is_Written_As_Zero() => Assert.Equal("0", Format(-0.0));

    [Theory]
    [InlineData(0.186599999999, 4, "0.1866")]
    [InlineData(0.00018659999, 7, "0.0001866")]
    [InlineData(4.2, 4, "4.2")]
    [InlineData(0.00000004, 7, "0")]
    public void Rounded_Values_Keep_At_Most_The_Given_Decimals(double value, int decimals, string expected)
    {
        Span<byte> buffer = stackalloc byte[64];
        Assert.True(StatsDNumber.TryFormat(value, decimals, buffer, out int written));
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..written]));
    }

    [Fact]
    public void A_Value_That_Does_Not_Fit_Reports_It()
    {
        Span<byte> buffer = stackalloc byte[5];
        Assert.False(StatsDNumber.TryFormat(0.0000031, buffer, out _));
        Assert.False(StatsDNumber.TryFormat(123456, buffer, out _));
        Assert.True(StatsDNumber.TryFormat(12345, buffer, out int written));
        Assert.Equal(5, written);
    }

    [Fact]
    public void Every_Power_Of_Two_Rate_Reads_Back_As_Exactly_Its_Inverse()
    {
        for (int k = 0; k <= 62; k++)
        {
            double rate = Math.ScaleB(1.0, -k);
            string text = Format(rate);
            Assert.DoesNotContain("E", text, StringComparison.Ordinal);
            Assert.Equal(Math.ScaleB(1.0, k), 1 / double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Random_Values_Of_Every_Magnitude_Read_Back_Exactly()
    {
        var random = new Random(8125);
        for (int i = 0; i < 200_000; i++)
        {
            double value = random.Next(4) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF) * (random.Next(2) == 0 ? 1 : -1),
                1 => Math.Round(random.NextDouble() * 1000, random.Next(0, 10)),
                2 => random.NextInt64(0, 1L << 40) / 1e7,
                _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 20)),
            };
            string text = Format(value);
            Assert.DoesNotContain("E", text, StringComparison.Ordinal);
            Assert.True(value == double.Parse(text, CultureInfo.InvariantCulture), $"{value:R} was written {text}");
        }
    }

    private static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[StatsDNumber.MaxLength];
        Assert.True(StatsDNumber.TryFormat(value, buffer, out int written));
        return Encoding.ASCII.GetString(buffer[..written]);
    }
}
