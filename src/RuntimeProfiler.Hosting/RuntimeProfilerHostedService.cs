using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RuntimeProfiling.Collection;

namespace RuntimeProfiling.Hosting;

/// <summary>
/// Runs the profiler for the host's lifetime: builds the enabled sinks and starts sampling when the host
/// starts; when it stops, takes a last sample for the sinks (unless switched off) and releases everything.
/// A sink that cannot be built (a bad address, a port in use) fails the start, with nothing left half-running.
/// </summary>
internal sealed class RuntimeProfilerHostedService(
    IServiceProvider services,
    IOptions<RuntimeProfilerHostingOptions> options,
    SinkRegistry registry,
    TimeProvider timeProvider,
    ILogger<RuntimeProfilerHostedService> logger) : IHostedService, IAsyncDisposable
{
    private readonly List<(string Name, SinkInstance Instance)> _sinks = [];
#pragma warning disable CA2213 // StopAsync takes the profiler out with Interlocked.Exchange and disposes it; the analyzer cannot follow that.
    private RuntimeProfiler? _profiler;
#pragma warning restore CA2213

    internal RuntimeProfiler? Profiler => _profiler;

    /// <summary>Gets the sinks built at start and not yet released, for tests.</summary>
    internal IReadOnlyList<SinkInstance> Running => [.. _sinks.Select(s => s.Instance)];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        RuntimeProfilerHostingOptions settings = options.Value;
        var limiter = new SinkErrorLogLimiter(logger, timeProvider, settings.SinkErrorLogInterval, NameOf);
        var profilerOptions = new RuntimeProfilerOptions
        {
            Interval = settings.Interval,
            StopTimeout = settings.StopTimeout,
            FlushOnStop = settings.FlushOnStop,
            OnSinkError = limiter.Report,
        };

        foreach (SinkDescriptor descriptor in RuntimeProfilerOptionsValidator.ResolveEnabled(services.GetService<IConfiguration>(), registry))
        {
            SinkInstance instance;
            try
            {
                instance = descriptor.Create(services);
            }
#pragma warning disable CA1031 // Any failure to build a sink fails the start, reported with the sink's configuration key.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.SinkStartFailed(logger, descriptor.Name, e);
                await ReleaseSinksAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"{RuntimeProfilerHostingOptions.SectionName}:Sinks:{descriptor.Name}: {e.Message}", e);
            }

            _sinks.Add((descriptor.Name, instance));
            if (instance.Sink is not null)
            {
                profilerOptions.Sinks.Add(instance.Sink);
            }
        }

        // A host with only sinks that serve on their own (Prometheus reads the runtime at scrape time) needs no
        // sampling thread.
        if (profilerOptions.Sinks.Count == 0)
        {
            return;
        }

        var profiler = new RuntimeProfiler(profilerOptions);
        try
        {
            profiler.Start();
        }
        catch
        {
            await profiler.DisposeAsync().ConfigureAwait(false);
            await ReleaseSinksAsync().ConfigureAwait(false);
            throw;
        }

        _profiler = profiler;
        Log.Started(logger, settings.Interval, string.Join(", ", _sinks.Where(s => s.Instance.Sink is not null).Select(s => s.Name)));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        RuntimeProfiler? profiler = Interlocked.Exchange(ref _profiler, null);
        if (profiler is not null)
        {
            await profiler.StopAsync(cancellationToken).ConfigureAwait(false);
            await profiler.DisposeAsync().ConfigureAwait(false);
        }

        if (profiler is null && _sinks.Count == 0)
        {
            return;
        }

        await ReleaseSinksAsync().ConfigureAwait(false);
        Log.Stopped(logger);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private string NameOf(IRuntimeMetricsSink sink)
    {
        foreach ((string name, SinkInstance instance) in _sinks)
        {
            if (ReferenceEquals(instance.Sink, sink))
            {
                return name;
            }
        }

        return sink.GetType().Name;
    }

    private async Task ReleaseSinksAsync()
    {
        for (int i = _sinks.Count - 1; i >= 0; i--)
        {
            if (_sinks[i].Instance.Owned is { } owned)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }
        }

        _sinks.Clear();
    }
}
