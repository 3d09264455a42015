using System.ComponentModel;
using System.Diagnostics;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>
/// <c>socat</c> receiving on a Unix datagram socket and forwarding each datagram to a UDP port: how a test puts
/// a DogStatsD-style Unix socket in front of Etsy's daemon, which listens on UDP only. Stopped by its PID.
/// </summary>
internal sealed class SocatBridge : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SocatBridge(ChildProcess process) => _process = process;

    public static async Task<SocatBridge> StartAsync(string socketPath, int udpPort)
    {
        ChildProcess process;
        try
        {
            process = ChildProcess.Start("socat", ["-u", $"UNIX-RECV:{socketPath},unlink-early", $"UDP-SENDTO:127.0.0.1:{udpPort}"]);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("socat is missing: run eng/install-test-dependencies.sh (./test.sh does).", e);
        }

        var waited = Stopwatch.StartNew();
        while (!File.Exists(socketPath))
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                Assert.Fail("socat exited: " + process.Error);
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"socat did not create {socketPath}");
            await Task.Delay(20);
        }

        return new SocatBridge(process);
    }

    public int ProcessId => _process.Id;

    /// <summary>Stops socat by its PID; a killed socat leaves its socket file behind, stale, as a crashed agent would.</summary>
    public Task StopAsync() => _process.StopAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
