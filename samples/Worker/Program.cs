// A worker service with the profiler added in one line and set in appsettings.json (section "RuntimeProfiler"),
// and its figures exported over OTLP when OpenTelemetry:OtlpEndpoint is set (for example http://localhost:4317).
// Run: dotnet run --project samples/Worker
using OpenTelemetry.Metrics;
using RuntimeProfiling.Samples.Worker;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddRuntimeProfiler();
builder.Services.AddHostedService<AllocatingWorker>();

if (builder.Configuration["OpenTelemetry:OtlpEndpoint"] is { Length: > 0 } endpoint)
{
    builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
        .AddRuntimeProfilerInstrumentation()
        .AddOtlpExporter(otlp => otlp.Endpoint = new Uri(endpoint)));
}

await builder.Build().RunAsync();
