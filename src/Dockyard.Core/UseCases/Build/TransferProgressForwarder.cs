using Dockyard.Hosting;
using Dockyard.Registries.Transfer;

namespace Dockyard.UseCases.Build;

/// <summary>
/// Passes registry transfer events on to the front's <see cref="HostContext.Progress"/> and, when counting, adds up
/// the bytes that were really sent: completed blob uploads and manifests (blobs already there or mounted are free).
/// </summary>
internal sealed class TransferProgressForwarder(IProgress<ProgressEvent>? progress, bool countUploads) : IProgress<TransferProgress>
{
    private long _uploaded;

    /// <summary>The bytes uploaded so far (0 unless counting).</summary>
    public long UploadedBytes => Interlocked.Read(ref _uploaded);

    /// <inheritdoc />
    public void Report(TransferProgress value)
    {
        if (countUploads && value.Kind is TransferEventKind.BlobCompleted or TransferEventKind.ManifestPushed)
            Interlocked.Add(ref _uploaded, value.TotalBytes);
        var kind = value.Kind switch
        {
            TransferEventKind.BlobStarted => ProgressKind.BlobStarted,
            TransferEventKind.BlobProgress => ProgressKind.BlobProgress,
            TransferEventKind.BlobCompleted => ProgressKind.BlobCompleted,
            TransferEventKind.BlobExists => ProgressKind.BlobExists,
            TransferEventKind.BlobMounted => ProgressKind.BlobMounted,
            TransferEventKind.ManifestPushed => ProgressKind.ManifestPushed,
            TransferEventKind.Retrying => ProgressKind.Retrying,
            TransferEventKind.Reauthenticated => ProgressKind.Reauthenticated,
            _ => ProgressKind.BlobResumed,
        };
        progress?.Report(new ProgressEvent(kind, value.Target, value.Digest, value.Bytes, value.TotalBytes, value.Message));
    }
}
