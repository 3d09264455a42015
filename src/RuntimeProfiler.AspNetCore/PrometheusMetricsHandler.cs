using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RuntimeProfiling.Sinks.Prometheus;

namespace RuntimeProfiling.AspNetCore;

/// <summary>Answers one scrape from ASP.NET Core with the shared <see cref="PrometheusScraper"/>: negotiation, headers, then the body straight into the response pipe.</summary>
internal sealed class PrometheusMetricsHandler : IDisposable
{
    private readonly PrometheusScraper _scraper;

    public PrometheusMetricsHandler(PrometheusScraper scraper) => _scraper = scraper;

    public Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        PrometheusFormat format = PrometheusScraper.NegotiateFormat(request.Headers.Accept.ToString());
        bool gzip = PrometheusScraper.AcceptsGzip(request.Headers.AcceptEncoding.ToString());
        response.ContentType = PrometheusScraper.GetContentType(format);
        response.Headers.Vary = "Accept, Accept-Encoding";
        response.Headers.CacheControl = "no-store";
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        // Copied under the scraper's lock straight into the response pipe; Kestrel drops the body of a HEAD.
        _scraper.Scrape(format, gzip, response.BodyWriter);
        return response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }

    public void Dispose() => _scraper.Dispose();
}
