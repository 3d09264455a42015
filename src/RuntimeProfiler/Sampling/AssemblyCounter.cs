using System.Reflection;
using System.Runtime.Loader;

namespace RuntimeProfiling.Sampling;

/// <summary>
/// Counts loaded assemblies without calling <see cref="AppDomain.GetAssemblies"/> per sample (it allocates
/// an array of every assembly): one call at start, then the load event, and the unloading event of each
/// collectible load context to subtract what it held.
/// </summary>
internal sealed class AssemblyCounter : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<AssemblyLoadContext, int> _collectible = [];
    private HashSet<Assembly>? _loadedDuringStart = [];
    private int _count;
    private bool _disposed;

    public AssemblyCounter()
    {
        // Subscribe first so nothing loaded meanwhile is missed; loads seen before the initial list is
        // taken are reconciled against it so nothing is counted twice either.
        AppDomain.CurrentDomain.AssemblyLoad += OnAssemblyLoad;
        Assembly[] initial = AppDomain.CurrentDomain.GetAssemblies();
        lock (_lock)
        {
            foreach (Assembly assembly in initial)
            {
                Track(assembly);
            }

            foreach (Assembly assembly in _loadedDuringStart!)
            {
                if (Array.IndexOf(initial, assembly) < 0)
                {
                    Track(assembly);
                }
            }

            _loadedDuringStart = null;
        }
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (AssemblyLoadContext context in _collectible.Keys)
            {
                context.Unloading -= OnUnloading;
            }

            _collectible.Clear();
        }

        AppDomain.CurrentDomain.AssemblyLoad -= OnAssemblyLoad;
    }

    private void OnAssemblyLoad(object? sender, AssemblyLoadEventArgs args)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_loadedDuringStart is not null)
            {
                _loadedDuringStart.Add(args.LoadedAssembly);
                return;
            }

            Track(args.LoadedAssembly);
        }
    }

    private void Track(Assembly assembly)
    {
        _count++;
        AssemblyLoadContext? context = AssemblyLoadContext.GetLoadContext(assembly);
        if (context is { IsCollectible: true })
        {
            if (_collectible.TryGetValue(context, out int held))
            {
                _collectible[context] = held + 1;
            }
            else
            {
                _collectible[context] = 1;
                context.Unloading += OnUnloading;
            }
        }
    }

    private void OnUnloading(AssemblyLoadContext context)
    {
        lock (_lock)
        {
            context.Unloading -= OnUnloading;
            if (_collectible.Remove(context, out int held))
            {
                _count -= held;
            }
        }
    }
}
