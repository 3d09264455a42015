using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RuntimeProfiling.Browser.Tests;

/// <summary>The page as <c>MapRuntimeProfilerPage</c> serves it from an ASP.NET Core app on Kestrel, under a path of its own.</summary>
public sealed class AspNetCorePageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_Mapped_Page_Loads_Clean_And_Every_Chart_Fills()
    {
        await using var workload = new TestWorkload();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using WebApplication app = builder.Build();
        app.MapRuntimeProfilerPage("/ops/runtime", o => o.Interval = TimeSpan.FromMilliseconds(200));
        await app.StartAsync();
        var root = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        // Without the trailing slash: the app redirects, and the page's relative links still resolve.
        await using PageSession session = await PageSession.OpenAsync(browser.Browser, new Uri(root, "/ops/runtime"));
        await session.WaitForPointsAsync(2);

        Assert.Empty(session.Problems);
        Assert.All(session.Requests, request => Assert.Equal(root.Authority, new Uri(request).Authority));
        Assert.Contains(session.Requests, r => r.EndsWith("/ops/runtime/events", StringComparison.Ordinal));
        Assert.Equal("live", await session.Page.Locator("#status").TextContentAsync());
        await app.StopAsync();
    }
}
