namespace RuntimeProfiling.Hosting;

/// <summary>
/// A sink the host can run: its configuration name (the key under <c>RuntimeProfiler:Sinks</c>), how to build
/// it from the container, the allowed values of its enumerated settings, and, when it declares them, the
/// settings it knows and a check of its resolved options, for validation messages.
/// </summary>
/// <remarks>
/// The seam for further sinks: a descriptor registered with the <see cref="SinkRegistry"/> in
/// <see cref="BuiltInSinks"/>, a builder extension that enables it, and its options read from its section.
/// </remarks>
internal sealed class SinkDescriptor(
    string name,
    Func<IServiceProvider, SinkInstance> create,
    IReadOnlyDictionary<string, string[]>? choices = null,
    IReadOnlyList<string>? settings = null,
    Func<IServiceProvider, IEnumerable<string>>? validate = null)
{
    public string Name { get; } = name;

    public Func<IServiceProvider, SinkInstance> Create { get; } = create;

    /// <summary>Gets, per setting of this sink that takes one of a fixed set of values, those values.</summary>
    public IReadOnlyDictionary<string, string[]> Choices { get; } = choices ?? new Dictionary<string, string[]>();

    /// <summary>Gets the settings the sink's section may hold (<c>Enabled</c> aside), or <see langword="null"/> when it is not checked.</summary>
    public IReadOnlyList<string>? Settings { get; } = settings;

    /// <summary>Gets the check of the sink's resolved options (configuration's, then code's), run at start-up when the sink is enabled: one message per problem.</summary>
    public Func<IServiceProvider, IEnumerable<string>>? Validate { get; } = validate;
}
