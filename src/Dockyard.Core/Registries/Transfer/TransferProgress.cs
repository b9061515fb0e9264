namespace Dockyard.Registries.Transfer;

/// <summary>What happened to a blob or manifest during a transfer.</summary>
public enum TransferEventKind
{
    /// <summary>A blob transfer started.</summary>
    BlobStarted,
    /// <summary>More bytes of a blob moved.</summary>
    BlobProgress,
    /// <summary>A blob was uploaded or downloaded completely.</summary>
    BlobCompleted,
    /// <summary>The destination already had the blob.</summary>
    BlobExists,
    /// <summary>The blob was mounted from another repository of the same registry.</summary>
    BlobMounted,
    /// <summary>A manifest or index was pushed under a tag or digest.</summary>
    ManifestPushed,
    /// <summary>A request failed transiently and is retried.</summary>
    Retrying,
    /// <summary>A registry rejected a token and a new one was fetched.</summary>
    Reauthenticated,
    /// <summary>A chunked upload continues, in the same session, from the offset the registry reported.</summary>
    BlobResumed,
}

/// <summary>One progress event. Messages never contain secrets.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Target">The repository or reference concerned, e.g. <c>127.0.0.1:5000/app</c>.</param>
/// <param name="Digest">The blob or manifest digest, if any.</param>
/// <param name="Bytes">Bytes moved so far for this blob.</param>
/// <param name="TotalBytes">The blob size (0 when unknown).</param>
/// <param name="Message">A short human-readable detail (retry reason, tag).</param>
public sealed record TransferProgress(TransferEventKind Kind, string Target, string? Digest, long Bytes, long TotalBytes, string? Message = null);
