namespace Dockyard.Hosting;

/// <summary>What a progress event is about.</summary>
public enum ProgressKind
{
    /// <summary>A step of a use case started (a stage, a platform, a job); <see cref="ProgressEvent.Message"/> names it.</summary>
    Step,
    /// <summary>A layer is being written; bytes are uncompressed input so far.</summary>
    LayerProgress,
    /// <summary>A layer was written or found in the cache.</summary>
    LayerDone,
    /// <summary>A blob transfer started.</summary>
    BlobStarted,
    /// <summary>Bytes of a blob transfer so far.</summary>
    BlobProgress,
    /// <summary>A blob transfer finished.</summary>
    BlobCompleted,
    /// <summary>The destination already had the blob.</summary>
    BlobExists,
    /// <summary>The blob was mounted from another repository of the same registry.</summary>
    BlobMounted,
    /// <summary>An upload resumed after a fault.</summary>
    BlobResumed,
    /// <summary>A manifest or index was stored under a tag or digest.</summary>
    ManifestPushed,
    /// <summary>A request is retried after a transient failure; <see cref="ProgressEvent.Message"/> says when and why.</summary>
    Retrying,
    /// <summary>Credentials were asked for again after the registry refused a token.</summary>
    Reauthenticated,
}

/// <summary>One progress event; fronts draw bars from them on a terminal, or print one line each in CI.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Target">What it happened to: a repository, a layer, a stage (never a secret).</param>
/// <param name="Digest">The blob or manifest digest, when there is one.</param>
/// <param name="Bytes">Bytes done so far (or in all, for completion events).</param>
/// <param name="TotalBytes">Bytes in all, when known; 0 otherwise.</param>
/// <param name="Message">A short human text, when the kind needs one.</param>
public sealed record ProgressEvent(ProgressKind Kind, string Target, string? Digest = null, long Bytes = 0, long TotalBytes = 0, string? Message = null);
