namespace Dockyard.Images.Transfer;

/// <summary>Which part of a multi-platform image a source yields.</summary>
public sealed record ImageReadOptions
{
    /// <summary>Yield an index with every platform (its digest kept); otherwise the image for <see cref="Platform"/>.</summary>
    public bool AllPlatforms { get; init; }

    /// <summary>The platform picked from an index when <see cref="AllPlatforms"/> is off (default: this machine's).</summary>
    public Platform? Platform { get; init; }
}

/// <summary>Somewhere an image can be read from: a registry, an OCI layout or archive, a docker archive, the daemon, the local store.</summary>
public interface IImageSource
{
    /// <summary>The location as the user wrote it, for messages.</summary>
    string Name { get; }

    /// <summary>Reads the image or index; manifests and configs are read and checked now, layer blobs when opened.</summary>
    /// <exception cref="Diagnostics.DockyardException">The image cannot be found or is damaged.</exception>
    Task<ImageContent> ReadAsync(ImageReadOptions options, CancellationToken cancellationToken);
}

/// <summary>Somewhere an image can be written to, under the tags it was opened with.</summary>
public interface IImageSink
{
    /// <summary>The location as the user wrote it, for messages.</summary>
    string Name { get; }

    /// <summary>Writes <paramref name="content"/> (every blob verified on the way) and tags it.</summary>
    /// <exception cref="Diagnostics.DockyardException">The destination refused the write.</exception>
    Task<ImageWriteResult> WriteAsync(ImageContent content, CancellationToken cancellationToken);
}

/// <summary>What a sink did.</summary>
/// <param name="Digest">The digest of the top manifest or index written (for a docker archive or the daemon: the manifest Dockyard derived).</param>
/// <param name="Tags">The tags written (full references or layout tags).</param>
/// <param name="Manifests">Manifests and indexes written.</param>
/// <param name="BlobsWritten">Blobs whose bytes were uploaded or written.</param>
/// <param name="BlobsMounted">Blobs mounted from the source repository (same registry).</param>
/// <param name="BlobsExisting">Blobs the destination already had.</param>
/// <param name="BytesWritten">Blob bytes uploaded or written.</param>
public sealed record ImageWriteResult(Digest Digest, IReadOnlyList<string> Tags, int Manifests, int BlobsWritten, int BlobsMounted, int BlobsExisting, long BytesWritten);
