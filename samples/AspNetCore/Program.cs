// An ASP.NET Core minimal API with the profiler added in one line, set in appsettings.json (section
// "RuntimeProfiler"), and its figures served to Prometheus on /metrics by the app's own server.
// Run: dotnet run --project samples/AspNetCore
// Then: curl http://localhost:5000/metrics, and curl "http://localhost:5000/work?megabytes=64" to move the figures.
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.AddRuntimeProfiler();

WebApplication app = builder.Build();
app.MapGet("/", () => "RuntimeProfiler sample: GET /metrics for the runtime figures, GET /work?megabytes=N to allocate.");
app.MapGet("/work", (int? megabytes) =>
{
    // Kept in a list so that every chunk is a real heap allocation the figures can show.
    int chunks = Math.Clamp(megabytes ?? 1, 1, 1024) * 16;
    var kept = new List<byte[]>(chunks);
    for (int i = 0; i < chunks; i++)
    {
        kept.Add(new byte[64 * 1024]);
    }

    return Results.Ok(new { allocatedBytes = kept.Sum(c => (long)c.Length) });
});
app.MapRuntimeProfilerMetrics("/metrics");

await app.RunAsync();
