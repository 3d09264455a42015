namespace RuntimeProfiling.Sinks.Prometheus.Page;

/// <summary>One file of the live page, embedded in the assembly: its bytes, plain and gzip-compressed, and its media type.</summary>
/// <remarks>Immutable and shared; serve it with <see cref="LivePage.ContentSecurityPolicy"/> and <c>X-Content-Type-Options: nosniff</c>.</remarks>
public sealed class LivePageFile
{
    internal LivePageFile(string contentType, byte[] content, byte[] gzipContent)
    {
        ContentType = contentType;
        Content = content;
        GzipContent = gzipContent;
    }

    /// <summary>Gets the <c>Content-Type</c> header value, charset included for text.</summary>
    public string ContentType { get; }

    /// <summary>Gets the file's bytes.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>Gets the file's bytes compressed with gzip, for a client that sends <c>Accept-Encoding: gzip</c>.</summary>
    public ReadOnlyMemory<byte> GzipContent { get; }

    internal byte[] ContentTypeBytes => field ??= System.Text.Encoding.ASCII.GetBytes(ContentType);
}
