using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using RuntimeProfiling.Sinks.Prometheus;
using RuntimeProfiling.Sinks.Prometheus.Page;

namespace RuntimeProfiling.AspNetCore;

/// <summary>Answers the live page's requests from ASP.NET Core: its files, its event stream and its polls, from one shared <see cref="LivePage"/>.</summary>
internal sealed class LivePageHandler : IDisposable
{
    private readonly LivePage _page;

    public LivePageHandler(LivePage page) => _page = page;

    /// <summary>Serves the page itself, at the group's root. Relative links need the root's trailing slash: without it, redirect.</summary>
    public static Task HandlePageAsync(HttpContext context)
    {
        PathString path = context.Request.PathBase.Add(context.Request.Path);
        if (!path.HasValue || !path.Value!.EndsWith('/'))
        {
            context.Response.Redirect(path.Add("/").ToUriComponent() + context.Request.QueryString.ToUriComponent());
            return Task.CompletedTask;
        }

        return HandleFileAsync(context, string.Empty);
    }

    /// <summary>Serves a file of the page, the event stream or a poll, by its path below the page (the route value <c>path</c>).</summary>
    public Task HandleAsync(HttpContext context)
    {
        switch (context.GetRouteValue("path") as string ?? string.Empty)
        {
            case "events":
                return StreamAsync(context);
            case "updates":
                SetPageHeaders(context.Response, "text/event-stream; charset=utf-8", "no-store");
                _page.WriteUpdates(context.Response.BodyWriter, LastEventId(context.Request));
                return context.Response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
            case var path:
                return HandleFileAsync(context, path);
        }
    }

    public void Dispose() => _page.Dispose();

    private static string? LastEventId(HttpRequest request) => request.Headers.TryGetValue("Last-Event-ID", out var value) ? value.ToString() : null;

    private static void SetPageHeaders(HttpResponse response, string contentType, string cacheControl)
    {
        response.ContentType = contentType;
        response.Headers.CacheControl = cacheControl;
        response.Headers.ContentSecurityPolicy = LivePage.ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    private static Task HandleFileAsync(HttpContext context, string path)
    {
        LivePageFile? file = LivePage.GetFile(path);
        if (file is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        bool gzip = PrometheusScraper.AcceptsGzip(context.Request.Headers.AcceptEncoding.ToString());
        SetPageHeaders(context.Response, file.ContentType, "no-cache");
        context.Response.Headers.Vary = "Accept-Encoding";
        if (gzip)
        {
            context.Response.Headers.ContentEncoding = "gzip";
        }

        ReadOnlyMemory<byte> body = gzip ? file.GzipContent : file.Content;
        context.Response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private async Task StreamAsync(HttpContext context)
    {
        using LivePageViewer? viewer = _page.OpenStream(LastEventId(context.Request));
        if (viewer is null)
        {
            // As many pages stream as the page allows: this one polls instead.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "30";
            return;
        }

        SetPageHeaders(context.Response, "text/event-stream; charset=utf-8", "no-store");
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        try
        {
            await viewer.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The page went away: the stream simply ends.
        }
    }
}
