using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RuntimeProfiling.AspNetCore;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps RuntimeProfiler's Prometheus endpoint and live page into an ASP.NET Core app.</summary>
public static class RuntimeProfilerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the runtime figures to Prometheus on <paramref name="pattern"/> (<c>GET</c> and <c>HEAD</c>): canonical
    /// names unless configured otherwise, read at scrape time (at most every 100 ms by default), in OpenMetrics or the
    /// 0.0.4 text format as the scraper's <c>Accept</c> header prefers, gzip-compressed when asked.
    /// </summary>
    /// <param name="endpoints">The app or route group.</param>
    /// <param name="pattern">The route; <c>/metrics</c> by default.</param>
    /// <param name="configure">Sets the naming and the minimum interval between readings; called once, here. Optional.</param>
    /// <returns>A builder to add conventions to the endpoint, such as <c>RequireHost</c> or <c>RequireAuthorization</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the exception names it.</exception>
    /// <remarks>
    /// The scraper behind the route reads the runtime itself, with or without a running <c>RuntimeProfiler</c>, shares
    /// its renderer with the standalone endpoint, and is disposed when the app stops. Other methods get 405 from
    /// routing. Safe for concurrent requests.
    /// </remarks>
    public static IEndpointConventionBuilder MapRuntimeProfilerMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics", Action<PrometheusScraperOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var options = new PrometheusScraperOptions();
        configure?.Invoke(options);
#pragma warning disable CA2000 // Owned by the app from here: disposed when the app stops (ApplicationStopped below).
        var handler = new PrometheusMetricsHandler(new PrometheusScraper(options));
#pragma warning restore CA2000
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(handler.Dispose);
        return endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], handler.HandleAsync).WithDisplayName("RuntimeProfiler metrics");
    }

    /// <summary>
    /// Serves the live page of the runtime figures under <paramref name="pattern"/>: charts of the heap by generation,
    /// allocation, GC pauses and collections, CPU, working set against the memory limit, the thread pool, lock
    /// contention and exceptions, updated on every sample over Server-Sent Events (<c>{pattern}/events</c>, or polls of
    /// <c>{pattern}/updates</c>), with the last 15 minutes kept for a page opened late. Its files are embedded in the
    /// package: the page asks no other host, and is served with a strict <c>Content-Security-Policy</c>.
    /// </summary>
    /// <param name="endpoints">The app or route group.</param>
    /// <param name="pattern">The page's path; <c>/runtime-profiler</c> by default (answered with a redirect to <c>/runtime-profiler/</c>).</param>
    /// <param name="configure">Sets the interval (1 s), the history (15 minutes) and how many pages may stream at once (8); called once, here. Optional.</param>
    /// <returns>A builder for conventions on every route of the page, such as <c>RequireAuthorization</c>: the page shows what <c>/metrics</c> shows, plus the process's name, id, runtime and uptime.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the exception names it.</exception>
    /// <remarks>
    /// The page samples this process on a timer (no thread of its own) from the call on, and stops when the app
    /// stops. Streams are held by Kestrel's connections; beyond <see cref="LivePageOptions.MaxStreams"/>, a page is
    /// answered 503 and polls instead. Safe for concurrent requests.
    /// </remarks>
    public static IEndpointConventionBuilder MapRuntimeProfilerPage(this IEndpointRouteBuilder endpoints, string pattern = "/runtime-profiler", Action<LivePageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var options = new LivePageOptions();
        configure?.Invoke(options);
#pragma warning disable CA2000 // Owned by the app from here: disposed when the app stops (ApplicationStopped below).
        var page = new LivePage(options);
        var handler = new LivePageHandler(page);
#pragma warning restore CA2000
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(handler.Dispose);
        page.Start();

        RouteGroupBuilder group = endpoints.MapGroup(pattern);
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        group.MapMethods("/", methods, LivePageHandler.HandlePageAsync).WithDisplayName("RuntimeProfiler live page");
        group.MapMethods("/{**path}", methods, handler.HandleAsync).WithDisplayName("RuntimeProfiler live page files and updates");
        return group;
    }
}
