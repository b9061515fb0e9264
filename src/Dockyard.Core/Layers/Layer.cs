using Dockyard.Images;

namespace Dockyard.Layers;

/// <summary>A layer blob written to the <see cref="LayerCache"/>: its digests, sizes and where the blob is.</summary>
/// <param name="DiffId">sha256 of the uncompressed tar (goes into the config's <c>rootfs.diff_ids</c>).</param>
/// <param name="DiffSize">Size of the uncompressed tar in bytes.</param>
/// <param name="Digest">sha256 of the blob as stored (goes into the manifest).</param>
/// <param name="Size">Size of the blob as stored in bytes.</param>
/// <param name="Compression">How the blob is compressed.</param>
/// <param name="BlobPath">Path of the blob file in the cache.</param>
public sealed record Layer(Digest DiffId, long DiffSize, Digest Digest, long Size, LayerCompression Compression, string BlobPath)
{
    /// <summary>The manifest descriptor of this layer in the given media-type family.</summary>
    public Descriptor ToDescriptor(ImageFormat format) =>
        new() { MediaType = format.LayerMediaType(Compression), Digest = Digest.ToString(), Size = Size };

    /// <summary>
    /// Where the blob is read from when it is not in the cache's <see cref="BlobPath"/>: a layer a registry cache
    /// already holds (read, or mounted by a push to the same registry, only when needed; null for built layers).
    /// </summary>
    public IBlobSource? Source { get; init; }
}
