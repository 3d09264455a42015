using System.Reflection;
using RuntimeProfiling.StartupHook;

#pragma warning disable CA1050 // The runtime looks for a type named exactly StartupHook, in no namespace.
#pragma warning disable CA1812 // Instantiated by no one: the runtime calls the static Initialize through reflection.

/// <summary>
/// The entry point the runtime calls before the app's <c>Main</c> when this assembly is named in
/// <c>DOTNET_STARTUP_HOOKS</c>. It never lets anything escape into the app: an exception here would stop
/// the app from starting.
/// </summary>
internal sealed class StartupHook
{
    public static void Initialize()
    {
        try
        {
            string hookPath = typeof(StartupHook).Assembly.Location;

            // Only this process is profiled: .NET processes it starts would otherwise load the hook too.
            HookEnvironment.RemoveFromStartupHooks(hookPath);
            string? error = AgentLoader.Start(hookPath);
            HookEnvironment.ReportStatus(error);
            if (error is not null)
            {
                HookEnvironment.WriteError(error);
            }
        }
#pragma warning disable CA1031 // Whatever goes wrong, the app must start: report it in one line and run unprofiled.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Exception shown = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            string error = $"the profiler could not start ({shown.GetType().Name}: {shown.Message}); the app runs unprofiled";
            HookEnvironment.ReportStatus(error);
            HookEnvironment.WriteError(error);
        }
    }
}
