using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Model;
using RuntimeProfiling.Sinks.Console;
using RuntimeProfiling.Sinks.Json;
using RuntimeProfiling.Sinks.Meter;

namespace RuntimeProfiling.Hosting;

/// <summary>The sinks a host can turn on by configuration alone, and how each reads its section.</summary>
internal static class BuiltInSinks
{
    public const string Console = "Console";
    public const string Json = "Json";
    public const string Meter = "Meter";

    private static readonly string[] s_namings = Enum.GetNames<MetricNaming>();

    public static void Register(IServiceCollection services, SinkRegistry registry)
    {
        registry.Register(new SinkDescriptor(
            Console,
            sp => new SinkInstance(new ConsoleSink(System.Console.Out, sp.GetRequiredService<IOptions<ConsoleSinkOptions>>().Value), null),
            new Dictionary<string, string[]> { ["Naming"] = s_namings },
            ["Naming"]));
        registry.Register(new SinkDescriptor(
            Json,
            sp => CreateJson(sp.GetRequiredService<IOptions<JsonLinesHostingOptions>>().Value),
            new Dictionary<string, string[]> { ["Naming"] = s_namings },
            ["Output", "Naming"]));
        registry.Register(new SinkDescriptor(Meter, sp => new SinkInstance(sp.GetRequiredService<MeterSink>(), null), settings: []));

        // The network sinks, each with a setup type of its own.
        PrometheusSinkSetup.Register(services, registry);
        StatsDSinkSetup.Register(services, registry);

        services.AddOptions<ConsoleSinkOptions>().Configure<IServiceProvider>((options, sp) =>
            options.Naming = ConfigurationSettings.ReadEnum(ConfigurationSettings.SinkSection(sp, Console), "Naming", options.Naming));
        services.AddOptions<JsonLinesHostingOptions>().Configure<IServiceProvider>((options, sp) =>
        {
            IConfigurationSection? section = ConfigurationSettings.SinkSection(sp, Json);
            options.Naming = ConfigurationSettings.ReadEnum(section, "Naming", options.Naming);
            options.Output = section?["Output"] ?? options.Output;
        });

        // One meter sink per container, created through the container's meter factory, so the OpenTelemetry
        // package can find it and not start a second sampler.
        services.TryAddSingleton(sp => new MeterSink(new MeterSinkOptions { MeterFactory = sp.GetService<IMeterFactory>() }));
    }

    private static SinkInstance CreateJson(JsonLinesHostingOptions options)
    {
        var sinkOptions = new JsonLinesSinkOptions { Naming = options.Naming };
        switch (options.Output)
        {
            case "stdout":
                return new SinkInstance(new JsonLinesSink(System.Console.Out, sinkOptions), null);
            case "stderr":
                return new SinkInstance(new JsonLinesSink(System.Console.Error, sinkOptions), null);
            default:
                var file = new FileStream(options.Output, FileMode.Append, FileAccess.Write, FileShare.Read);
                return new SinkInstance(new JsonLinesSink(file, sinkOptions), file);
        }
    }
}
