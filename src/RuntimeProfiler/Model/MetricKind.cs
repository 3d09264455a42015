namespace RuntimeProfiling.Model;

/// <summary>How a figure behaves over time, which decides how each sink renders it.</summary>
public enum MetricKind
{
    /// <summary>A value that goes up and down; sinks send the latest value.</summary>
    Gauge,

    /// <summary>A running total that only grows; sinks receive the total and the change since the previous sample.</summary>
    Counter,

    /// <summary>A distribution of observations (count, sum, minimum, maximum and buckets) per interval.</summary>
    Histogram,
}
