using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RuntimeProfiling.Hosting.Tests;

/// <summary>Builds real generic hosts with in-memory configuration and a log collector.</summary>
internal static class HostFixture
{
    public static IHost Build(Dictionary<string, string?> settings, Action<IServiceCollection> services, LogCollector? logs = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        services(builder.Services);
        return builder.Build();
    }

    public static RuntimeProfilerHostedService HostedService(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<RuntimeProfilerHostedService>().Single();

    public static string TempFile() => Path.Combine(Path.GetTempPath(), $"runtime-profiler-{Guid.NewGuid():N}.jsonl");

    /// <summary>Reads the JSON lines written so far (the sink appends whole lines, flushed each time).</summary>
    public static string[] Lines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "The condition did not become true within 30 s.");
    }
}
