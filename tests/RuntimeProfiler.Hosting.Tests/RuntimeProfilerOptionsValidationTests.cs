using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RuntimeProfiling.Hosting.Tests;

public sealed class RuntimeProfilerOptionsValidationTests
{
    [Theory]
    [InlineData("RuntimeProfiler:Sinks:Statsd2:Url", "udp://x:1", "RuntimeProfiler:Sinks:Statsd2 is not a sink; allowed: Console, Json, Meter")]
    [InlineData("RuntimeProfiler:Interval", "00:00:00.001", "RuntimeProfiler:Interval is 00:00:00.0010000; allowed: 00:00:00.0100000 to 1.00:00:00")]
    [InlineData("RuntimeProfiler:Interval", "2.00:00:00", "RuntimeProfiler:Interval is 2.00:00:00; allowed")]
    [InlineData("RuntimeProfiler:Interval", "often", "RuntimeProfiler:Interval is 'often'; expected a duration such as 00:00:10")]
    [InlineData("RuntimeProfiler:StopTimeout", "-00:00:01", "RuntimeProfiler:StopTimeout is -00:00:01; allowed: 00:00:00 to 00:10:00")]
    [InlineData("RuntimeProfiler:FlushOnStop", "maybe", "RuntimeProfiler:FlushOnStop is 'maybe'; allowed: true, false")]
    [InlineData("RuntimeProfiler:Intervall", "00:00:10", "RuntimeProfiler:Intervall is not a setting; allowed: Interval, StopTimeout, FlushOnStop, SinkErrorLogInterval, Sinks")]
    [InlineData("RuntimeProfiler:Sinks:Console:Naming", "otel", "RuntimeProfiler:Sinks:Console:Naming is 'otel'; allowed: OpenTelemetry, Original")]
    [InlineData("RuntimeProfiler:Sinks:Console:Enabled", "yes", "RuntimeProfiler:Sinks:Console:Enabled is 'yes'; allowed: true, false")]
    public async Task Bad_Configuration_Fails_The_Start_With_A_Message_Naming_The_Key_And_The_Allowed_Values(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["RuntimeProfiler:Sinks:Console:Enabled"] = "true", [key] = value };
        using IHost host = HostFixture.Build(settings, services => services.AddRuntimeProfiler());
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Missing_Section_Fails_The_Start_When_Nothing_Is_Configured_In_Code()
    {
        using IHost host = HostFixture.Build([], services => services.AddRuntimeProfiler());
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("The configuration section 'RuntimeProfiler' is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_Can_Switch_Off_A_Sink_Added_In_Code_And_No_Sink_Left_Is_An_Error()
    {
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:Console:Enabled"] = "false" },
            services => services.AddRuntimeProfiler(b => b.AddConsole()));
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("No sink is enabled", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_Problem_Is_Reported_At_Once()
    {
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Interval"] = "often", ["RuntimeProfiler:Sinks:Nope"] = "x", ["RuntimeProfiler:Sinks:Json:Naming"] = "go" },
            services => services.AddRuntimeProfiler());
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Collection(
            e.Failures,
            f => Assert.StartsWith("RuntimeProfiler:Interval is 'often'", f, StringComparison.Ordinal),
            f => Assert.StartsWith("RuntimeProfiler:Sinks:Json:Naming is 'go'", f, StringComparison.Ordinal),
            f => Assert.StartsWith("RuntimeProfiler:Sinks:Nope is not a sink", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_Configuration_Binds_Every_Setting()
    {
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Interval"] = "00:00:02",
                ["RuntimeProfiler:StopTimeout"] = "00:00:01",
                ["RuntimeProfiler:FlushOnStop"] = "false",
                ["RuntimeProfiler:SinkErrorLogInterval"] = "00:05:00",
                ["RuntimeProfiler:Sinks:Console:Naming"] = "original",
            },
            services => services.AddRuntimeProfiler());
        RuntimeProfilerHostingOptions options = host.Services.GetRequiredService<IOptions<RuntimeProfilerHostingOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(2), options.Interval);
        Assert.Equal(TimeSpan.FromSeconds(1), options.StopTimeout);
        Assert.False(options.FlushOnStop);
        Assert.Equal(TimeSpan.FromMinutes(5), options.SinkErrorLogInterval);
        Assert.Equal(Model.MetricNaming.Original, host.Services.GetRequiredService<IOptions<Sinks.Console.ConsoleSinkOptions>>().Value.Naming);
    }
}
