namespace RuntimeProfiling.Agent;

/// <summary>How the console sink writes samples.</summary>
internal enum AgentFormat
{
    /// <summary>A readable table per sample (<c>ConsoleSink</c>).</summary>
    Table,

    /// <summary>One JSON object per sample and line (<c>JsonLinesSink</c>).</summary>
    Json,
}
