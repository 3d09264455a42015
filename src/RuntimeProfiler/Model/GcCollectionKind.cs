namespace RuntimeProfiling.Model;

/// <summary>The kind of a garbage collection, as <see cref="GCKind"/> classifies them.</summary>
public enum GcCollectionKind
{
    /// <summary>A blocking collection of generation 0 or 1, including one that runs while a background collection is in progress.</summary>
    Ephemeral,

    /// <summary>A blocking collection of generation 2 (and the large and pinned object heaps).</summary>
    FullBlocking,

    /// <summary>A background (concurrent) collection of generation 2: two short pauses around concurrent marking.</summary>
    Background,
}
