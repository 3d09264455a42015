using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Sinks.StatsD;

namespace RuntimeProfiling.Hosting.Tests;

/// <summary>
/// <c>"ReadDatadogEnvironment": true</c>: the real process environment's <c>DD_*</c> variables win over the
/// configuration file, code wins over both, and without the opt-in they are never read.
/// </summary>
[Collection(EnvironmentTestGroup.Name)]
public sealed class StatsDDatadogEnvironmentTests
{
    private static readonly string[] s_variables = ["DD_DOGSTATSD_URL", "DD_AGENT_HOST", "DD_DOGSTATSD_PORT", "DD_ENV", "DD_SERVICE", "DD_VERSION"];

    [Fact]
    public async Task The_Environment_Wins_Over_Configuration_And_The_Figures_Go_Where_It_Says()
    {
        using DatagramReceiver receiver = DatagramReceiver.Udp();
        using var environment = new EnvironmentScope(("DD_AGENT_HOST", "127.0.0.1"), ("DD_DOGSTATSD_PORT", $"{receiver.Port}"), ("DD_ENV", "prod"), ("DD_SERVICE", "checkout"), ("DD_VERSION", "1.4.2"));

        // 192.0.2.1 is reserved for documentation (RFC 5737): nothing would arrive from it.
        using IHost host = HostFixture.Build(
            new()
            {
                ["RuntimeProfiler:Interval"] = "01:00:00",
                ["RuntimeProfiler:Sinks:StatsD:Url"] = "udp://192.0.2.1:8125",
                ["RuntimeProfiler:Sinks:StatsD:Dialect"] = "DogStatsD",
                ["RuntimeProfiler:Sinks:StatsD:GlobalTags:env"] = "staging",
                ["RuntimeProfiler:Sinks:StatsD:GlobalTags:team"] = "payments",
                ["RuntimeProfiler:Sinks:StatsD:ReadDatadogEnvironment"] = "true",
            },
            services => services.AddRuntimeProfiler());
        await host.StartAsync();
        Assert.Equal($"udp://127.0.0.1:{receiver.Port}", Sink(host).Endpoint);
        await host.StopAsync();
        await receiver.WaitForLineAsync(l => l == $"dotnet.process.cpu.count:{Environment.ProcessorCount}|g|#env:prod,service:checkout,team:payments,version:1.4.2", "the processor count with the environment's tags");
    }

    [Fact]
    public void DD_DOGSTATSD_URL_Wins_Over_DD_AGENT_HOST_And_Code_Wins_Over_Both()
    {
        using var environment = new EnvironmentScope(("DD_DOGSTATSD_URL", "unix:///var/run/datadog/dsd.socket"), ("DD_AGENT_HOST", "agent"), ("DD_DOGSTATSD_PORT", "9125"), ("DD_ENV", "prod"));
        Dictionary<string, string?> settings = new()
        {
            ["RuntimeProfiler:Sinks:StatsD:Host"] = "statsd",
            ["RuntimeProfiler:Sinks:StatsD:Dialect"] = "DogStatsD",
            ["RuntimeProfiler:Sinks:StatsD:ReadDatadogEnvironment"] = "true",
        };

        using IHost fromEnvironment = HostFixture.Build(settings, services => services.AddRuntimeProfiler());
        StatsDSinkOptions options = Options(fromEnvironment);
        Assert.Equal(new Uri("unix:///var/run/datadog/dsd.socket"), options.Url);
        Assert.Equal("prod", options.GlobalTags["env"]);

        using IHost fromCode = HostFixture.Build(settings, services => services.AddRuntimeProfiler(b => b.AddStatsD(o =>
        {
            o.Url = new Uri("udp://127.0.0.1:8125");
            o.GlobalTags["env"] = "canary";
        })));
        options = Options(fromCode);
        Assert.Equal(new Uri("udp://127.0.0.1:8125"), options.Url);
        Assert.Equal("canary", options.GlobalTags["env"]);
    }

    [Fact]
    public void Without_The_Opt_In_The_Environment_Is_Not_Read()
    {
        using var environment = new EnvironmentScope(("DD_DOGSTATSD_URL", "udp://agent:8125"), ("DD_ENV", "prod"));
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:StatsD:Host"] = "statsd", ["RuntimeProfiler:Sinks:StatsD:Port"] = "9125" },
            services => services.AddRuntimeProfiler());
        StatsDSinkOptions options = Options(host);
        Assert.Null(options.Url);
        Assert.Equal("statsd", options.Host);
        Assert.Equal(9125, options.Port);
        Assert.Empty(options.GlobalTags);
    }

    [Theory]
    [InlineData("DD_DOGSTATSD_PORT", "dogstatsd", "DogStatsD", "RuntimeProfiler:Sinks:StatsD:ReadDatadogEnvironment is true, and DD_DOGSTATSD_PORT is 'dogstatsd', not a port number (1 to 65535).")]
    [InlineData("DD_DOGSTATSD_URL", "dsd.socket", "DogStatsD", "RuntimeProfiler:Sinks:StatsD:ReadDatadogEnvironment is true, and DD_DOGSTATSD_URL is 'dsd.socket', not a URL such as udp://host:8125 or unix:///path/to/socket.")]
    [InlineData("DD_DOGSTATSD_URL", "/var/run/datadog/dsd.socket", "DogStatsD", "RuntimeProfiler:Sinks:StatsD:ReadDatadogEnvironment is true, and DD_DOGSTATSD_URL is '/var/run/datadog/dsd.socket', a path; write a socket as unix:///var/run/datadog/dsd.socket.")]
    [InlineData("DD_DOGSTATSD_URL", "tcp://agent:8125", "DogStatsD", "RuntimeProfiler:Sinks:StatsD:Url: 'tcp://agent:8125/' uses tcp, a stream transport; this sink sends datagrams: use udp:// or unix://.")]
    [InlineData("DD_ENV", "prod", "Etsy", "RuntimeProfiler:Sinks:StatsD:GlobalTags holds env, but plain StatsD (Dialect Etsy, the default) has no tags (with ReadDatadogEnvironment, DD_ENV, DD_SERVICE and DD_VERSION add the tags env, service and version); set Dialect to DogStatsD or Telegraf, or use Prefix instead.")]
    public async Task A_Bad_Variable_Fails_The_Start_Naming_It(string variable, string value, string dialect, string expected)
    {
        using var environment = new EnvironmentScope((variable, value));
        using IHost host = HostFixture.Build(
            new() { ["RuntimeProfiler:Sinks:StatsD:Dialect"] = dialect, ["RuntimeProfiler:Sinks:StatsD:ReadDatadogEnvironment"] = "true" },
            services => services.AddRuntimeProfiler());
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Equal(expected, Assert.Single(e.Failures));
        Assert.Empty(HostFixture.HostedService(host).Running);
    }

    private static StatsDSinkOptions Options(IHost host) => host.Services.GetRequiredService<IOptions<StatsDSinkOptions>>().Value;

    private static StatsDSink Sink(IHost host) => Assert.Single(HostFixture.HostedService(host).Running.Select(s => s.Sink).OfType<StatsDSink>());

    /// <summary>Sets the given <c>DD_*</c> variables and clears the others, restoring all of them when disposed.</summary>
    private sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> _saved = s_variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

        public EnvironmentScope(params (string Name, string Value)[] variables)
        {
            foreach (string name in s_variables)
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            foreach ((string name, string value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach ((string name, string? value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
