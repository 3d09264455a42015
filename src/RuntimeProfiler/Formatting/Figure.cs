using RuntimeProfiling.Model;

namespace RuntimeProfiling.Formatting;

/// <summary>
/// A figure as a sink renders it under one naming: its name, unit, kind and attributes, and how to read
/// its value from a snapshot. Under <see cref="MetricNaming.OpenTelemetry"/> a figure is one catalog series;
/// under <see cref="MetricNaming.Original"/> it is an original name computed from one or more series.
/// </summary>
internal sealed class Figure
{
    private readonly MetricId _source;
    private readonly Func<RuntimeSnapshot, double>? _compute;

    public Figure(MetricSeries series)
    {
        Series = series;
        _source = series.Id;
        Name = series.Name;
        Unit = series.Unit;
        Kind = series.Kind;
        Group = series.Group;
        Description = series.Description;
        Attributes = [.. series.Attributes];
        IsTimestamp = series.Id == MetricId.GcLastCollectionTime;
        IsRunningTotal = series.Kind == MetricKind.Counter;
        FoldedName = Attributes.Length == 0 ? Name : Name + "." + string.Join(".", Attributes.Select(a => a.Value));
    }

    public Figure(string name, string unit, MetricGroup group, string description, Func<RuntimeSnapshot, double> compute, bool isTimestamp = false, bool isRunningTotal = false)
    {
        IsTimestamp = isTimestamp;
        IsRunningTotal = isRunningTotal;
        _compute = compute;
        Name = name;
        Unit = unit;
        Kind = MetricKind.Gauge;
        Group = group;
        Description = description;
        Attributes = [];
        FoldedName = name;
    }

    public string Name { get; }

    /// <summary>Gets the name with attribute values appended (<c>dotnet.gc.collections.gen0</c>), for writers that take a bare name.</summary>
    public string FoldedName { get; }

    public string Unit { get; }

    public MetricKind Kind { get; }

    public MetricGroup Group { get; }

    public string Description { get; }

    public KeyValuePair<string, string>[] Attributes { get; }

    /// <summary>Gets whether the value is a point in time (Unix time in the figure's unit) rather than an amount.</summary>
    public bool IsTimestamp { get; }

    /// <summary>
    /// Gets whether the value only grows over the process's life (a counter, or an original figure that is a
    /// running total sent as a gauge), so sinks whose systems type their metrics can render it as a counter.
    /// </summary>
    public bool IsRunningTotal { get; }

    /// <summary>Gets the catalog series this figure shows as it is, or null for a computed figure.</summary>
    public MetricSeries? Series { get; }

    public bool TryGetValue(RuntimeSnapshot snapshot, out double value)
    {
        value = _compute is null ? snapshot.Values[(int)_source] : _compute(snapshot);
        return double.IsFinite(value);
    }

    public bool TryGetDelta(RuntimeSnapshot snapshot, out double delta)
    {
        if (Kind != MetricKind.Counter || _compute is not null)
        {
            delta = double.NaN;
            return false;
        }

        delta = snapshot.Deltas[(int)_source];
        return double.IsFinite(delta);
    }
}
