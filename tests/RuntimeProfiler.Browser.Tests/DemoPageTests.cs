using Microsoft.Playwright;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.Browser.Tests;

/// <summary>
/// <c>runtime-profiler demo --ui</c>, the real tool as a process: it prints the page's address, and the page it
/// serves fills every chart. Run with <c>UPDATE_SCREENSHOT=1</c> to let the demo run a minute and rewrite
/// <c>docs/live-page.png</c> (1280×800) from it; then look at it before committing.
/// </summary>
public sealed class DemoPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Demo_With_Ui_Prints_The_Address_Of_A_Page_That_Fills_Every_Chart()
    {
        bool screenshot = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOT") == "1";
        string interval = screenshot ? "1s" : "250ms";
        await using ChildProcess demo = ChildProcess.StartDotnet(TestArtifacts.Cli, ["demo", "--ui", $"127.0.0.1:{FreePort()}", "--interval", interval, "--duration", "0"]);
        string line = await demo.WaitForErrorLineAsync(l => l.StartsWith("runtime-profiler: live page at ", StringComparison.Ordinal));
        var url = new Uri(line["runtime-profiler: live page at ".Length..]);
        Assert.Equal("127.0.0.1", url.Host);

        await using PageSession session = await PageSession.OpenAsync(browser.Browser, url);
        await session.WaitForPointsAsync(2);
        Assert.Empty(session.Problems);
        Assert.Equal("runtime-profiler", await session.Page.Locator("#process-name").TextContentAsync());
        Assert.Equal(demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), await session.Page.Locator("#process-pid").TextContentAsync());

        if (screenshot)
        {
            await session.WaitForPointsAsync(int.TryParse(Environment.GetEnvironmentVariable("SCREENSHOT_SAMPLES"), out int samples) ? samples : 90);
            string path = Path.Combine(Golden.RepositoryRoot(), "docs", "live-page.png");
            await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }

        await demo.SignalAsync("INT");
        Assert.Equal(0, await demo.WaitForExitAsync());
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
