namespace RuntimeProfiling;

/// <summary>Found only in this other RuntimeProfiler.dll, so the app can show which one it loaded.</summary>
public static class OtherVersionMarker
{
    /// <summary>Describes the assembly that holds this type.</summary>
    public static string Describe() => $"app's RuntimeProfiler {typeof(OtherVersionMarker).Assembly.GetName().Version}";
}
