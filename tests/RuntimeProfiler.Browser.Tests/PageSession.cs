using Microsoft.Playwright;

namespace RuntimeProfiling.Browser.Tests;

/// <summary>
/// A page in a fresh browser context at 1280×800, recording what would betray a broken page: console errors
/// (CSP violations among them), uncaught script errors, failed requests, and every URL it asked for.
/// </summary>
internal sealed class PageSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];
    private readonly List<string> _requests = [];
    private readonly Lock _lock = new();

    private PageSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) => { if (message.Type == "error" && !IsOutageNoise(message.Text)) { Record(_problems, "console: " + message.Text); } };
        page.PageError += (_, error) => Record(_problems, "script: " + error);
        page.RequestFailed += (_, request) => { if (!IsStreamClosedByTest(request)) { Record(_problems, $"request failed: {request.Url} ({request.Failure})"); } };
        page.Request += (_, request) => Record(_requests, request.Url);
    }

    /// <summary>The wait for anything the page does: long, since only a broken page reaches it.</summary>
    public static float Patience => 60_000;

    public IPage Page { get; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_lock)
            {
                return [.. _problems];
            }
        }
    }

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets or sets whether the endpoint is being stopped on purpose: the stream's failure then is expected.</summary>
    public bool EndpointStopping { get; set; }

    public static async Task<PageSession> OpenAsync(IBrowser browser, Uri url)
    {
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(Patience);
        var session = new PageSession(context, page);
        await page.GotoAsync(url.ToString());
        return session;
    }

    /// <summary>Waits until every chart of the page holds at least <paramref name="points"/> samples with data.</summary>
    public Task WaitForPointsAsync(int points) =>
        Page.WaitForFunctionAsync("n => { const cards = [...document.querySelectorAll('.card')]; return cards.length > 0 && cards.every(c => +c.dataset.points >= n); }", points);

    /// <summary>Gets the number of samples each chart shows data for, by chart id.</summary>
    public async Task<Dictionary<string, int>> PointsAsync() =>
        await Page.EvaluateAsync<Dictionary<string, int>>("() => Object.fromEntries([...document.querySelectorAll('.card')].map(c => [c.id, +c.dataset.points]))");

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private bool IsStreamClosedByTest(IRequest request) => EndpointStopping && (request.Url.EndsWith("/events", StringComparison.Ordinal) || request.Url.EndsWith("/updates", StringComparison.Ordinal));

    // While the endpoint is down on purpose, Chromium reports each refused reconnection on the console.
    private bool IsOutageNoise(string text) => EndpointStopping && text.Contains("net::ERR_", StringComparison.Ordinal);

    private void Record(List<string> list, string text)
    {
        lock (_lock)
        {
            list.Add(text);
        }
    }
}
