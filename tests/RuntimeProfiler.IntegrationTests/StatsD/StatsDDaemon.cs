using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RuntimeProfiling.Tests.Shared;

namespace RuntimeProfiling.IntegrationTests.StatsD;

/// <summary>
/// Etsy's StatsD daemon (statsd@0.9.0, installed by <c>eng/install-test-dependencies.sh</c>) run with Node on
/// loopback ports chosen at run time, flushing to a <see cref="GraphiteCapture"/>. Started by the test, ready when
/// its admin port answers <c>health: up</c>, stopped by its PID.
/// </summary>
internal sealed class StatsDDaemon : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private StatsDDaemon(ChildProcess process, string directory, int port, int adminPort)
    {
        _process = process;
        _directory = directory;
        Port = port;
        AdminPort = adminPort;
    }

    /// <summary>Gets the UDP port the daemon listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    public int AdminPort { get; }

    public int ProcessId => _process.Id;

    public static string StatsJs => Path.Combine(Golden.RepositoryRoot(), ".test-deps", "statsd", "node_modules", "statsd", "stats.js");

    /// <summary>Starts a daemon that flushes to <paramref name="graphite"/> every <paramref name="flushInterval"/>, on <paramref name="port"/> or a free one.</summary>
    public static async Task<StatsDDaemon> StartAsync(GraphiteCapture graphite, TimeSpan flushInterval, int port = 0)
    {
        Assert.True(File.Exists(StatsJs), $"{StatsJs} is missing: run eng/install-test-dependencies.sh (./test.sh does).");
        for (int attempt = 0; ; attempt++)
        {
            int udp = port != 0 ? port : FreePort(SocketType.Dgram, ProtocolType.Udp);
            int admin = FreePort(SocketType.Stream, ProtocolType.Tcp);
            StatsDDaemon daemon = Launch(graphite, flushInterval, udp, admin);
            if (await daemon.WaitHealthyAsync())
            {
                return daemon;
            }

            string log = daemon.Log;
            await daemon.DisposeAsync();
            if (attempt == 2)
            {
                Assert.Fail($"statsd did not report 'health: up' on port {admin}: {log}");
            }
        }
    }

    public string Log => $"{_process.Output}\n{_process.Error}";

    /// <summary>Sends one admin command (<c>health</c>, <c>gauges</c>, <c>counters</c>, ...) and returns the reply.</summary>
    public async Task<string> AdminAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, AdminPort);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"));
        var reply = new StringBuilder();
        byte[] buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            int read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
            string text = reply.ToString();
            if (command == "health" ? text.Contains('\n', StringComparison.Ordinal) : text.Contains("END\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        return reply.ToString();
    }

    /// <summary>Stops the daemon by its PID and waits until it is gone.</summary>
    public Task StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static StatsDDaemon Launch(GraphiteCapture graphite, TimeSpan flushInterval, int port, int adminPort)
    {
        string directory = Directory.CreateTempSubdirectory("rp-statsd-").FullName;
        string config = Path.Combine(directory, "config.js");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $$"""
            {
              servers: [{ server: "./servers/udp", address: "127.0.0.1", port: {{port}} }],
              mgmt_address: "127.0.0.1",
              mgmt_port: {{adminPort}},
              flushInterval: {{(int)flushInterval.TotalMilliseconds}},
              backends: ["./backends/graphite"],
              graphiteHost: "127.0.0.1",
              graphitePort: {{graphite.Port}},
              graphite: { legacyNamespace: false }
            }
            """));
        return new StatsDDaemon(ChildProcess.Start("node", [StatsJs, config]), directory, port, adminPort);
    }

    private async Task<bool> WaitHealthyAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                if ((await AdminAsync("health")).Contains("health: up", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        return false;
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
