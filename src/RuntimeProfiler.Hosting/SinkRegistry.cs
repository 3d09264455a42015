namespace RuntimeProfiling.Hosting;

/// <summary>
/// The sinks the host knows and the ones turned on in code. A sink runs when code adds it
/// (<c>builder.AddConsole()</c>) or when configuration has a section for it under <c>RuntimeProfiler:Sinks</c>
/// whose <c>Enabled</c> is not <c>false</c>.
/// </summary>
internal sealed class SinkRegistry
{
    private readonly Dictionary<string, SinkDescriptor> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _enabledInCode = new(StringComparer.OrdinalIgnoreCase);

    public bool ConfiguredInCode { get; set; }

    public IEnumerable<string> KnownNames => _known.Keys.Order(StringComparer.Ordinal);

    public IEnumerable<string> EnabledInCode => _enabledInCode;

    public void Register(SinkDescriptor descriptor) => _known.TryAdd(descriptor.Name, descriptor);

    public void Enable(string name) => _enabledInCode.Add(name);

    public bool TryGet(string name, out SinkDescriptor descriptor) => _known.TryGetValue(name, out descriptor!);
}
