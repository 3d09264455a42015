namespace RuntimeProfiling.Model;

/// <summary>
/// One time series of the catalog: a metric name with one fixed set of attributes
/// (for example <c>dotnet.gc.collections</c> with <c>gc.heap.generation=gen0</c>).
/// </summary>
/// <remarks>Instances are immutable and shared; they are created once by <see cref="RuntimeMetricCatalog"/>.</remarks>
public sealed class MetricSeries
{
    private readonly KeyValuePair<string, string>[] _attributes;

    internal MetricSeries(
        MetricId id,
        string name,
        string unit,
        MetricKind kind,
        MetricGroup group,
        string description,
        KeyValuePair<string, string>[] attributes,
        int histogramIndex = -1)
    {
        HistogramIndex = histogramIndex;
        Id = id;
        Name = name;
        Unit = unit;
        Kind = kind;
        Group = group;
        Description = description;
        _attributes = attributes;
    }

    /// <summary>Gets the position of this series in <see cref="RuntimeMetricCatalog.Series"/>.</summary>
    public int Index => (int)Id;

    /// <summary>Gets the canonical name, following the OpenTelemetry conventions for .NET (for example <c>dotnet.gc.collections</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the unit in UCUM notation as OpenTelemetry uses it: <c>By</c>, <c>s</c>, <c>1</c> or an annotation such as <c>{collection}</c>.</summary>
    public string Unit { get; }

    /// <summary>Gets whether the series is a gauge, a counter or a histogram.</summary>
    public MetricKind Kind { get; }

    /// <summary>Gets the area of the runtime the series belongs to.</summary>
    public MetricGroup Group { get; }

    /// <summary>Gets a one-sentence description, used as help text by sinks that have one.</summary>
    public string Description { get; }

    /// <summary>Gets the attributes of this series (for example <c>gc.heap.generation=gen0</c>); empty when it has none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes;

    internal MetricId Id { get; }

    /// <summary>Gets the position among the histogram series (their storage in a snapshot), or -1 for other kinds.</summary>
    internal int HistogramIndex { get; }

    internal ReadOnlySpan<KeyValuePair<string, string>> AttributeSpan => _attributes;

    /// <inheritdoc />
    public override string ToString()
    {
        if (_attributes.Length == 0)
        {
            return Name;
        }

        return Name + "{" + string.Join(",", _attributes.Select(a => a.Key + "=" + a.Value)) + "}";
    }
}
