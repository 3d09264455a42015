using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RuntimeProfiling.AspNetCore;
using RuntimeProfiling.Sinks.Prometheus;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps RuntimeProfiler's Prometheus endpoint into an ASP.NET Core app.</summary>
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
}
