namespace Dockyard.Images;

/// <summary>A layer of an image: its manifest descriptor (kept verbatim), its diff_id, and the one source of its blob.</summary>
/// <param name="Descriptor">The manifest descriptor (compressed digest and size, media type).</param>
/// <param name="DiffId">sha256 of the uncompressed tar, from the config's <c>rootfs.diff_ids</c>.</param>
/// <param name="Blob">Where the blob is read from (lazy: a registry layer is fetched when opened).</param>
public sealed record ImageLayer(Descriptor Descriptor, Digest DiffId, IBlobSource Blob)
{
    /// <summary>Size of the uncompressed tar when known (layers built here); null when it must be measured.</summary>
    public long? DiffSize { get; init; }
}
