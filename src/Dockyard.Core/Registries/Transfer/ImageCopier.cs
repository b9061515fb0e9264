using Dockyard.Images;
using Dockyard.Images.Transfer;
using Dockyard.Registries.References;

namespace Dockyard.Registries.Transfer;

/// <summary>What to copy.</summary>
public sealed record CopyOptions
{
    /// <summary>Copy an index with every platform (the index digest is kept); otherwise one platform is copied.</summary>
    public bool AllPlatforms { get; init; }

    /// <summary>The platform copied from an index when <see cref="AllPlatforms"/> is off (default: this machine's).</summary>
    public Platform? Platform { get; init; }
}

/// <summary>What a copy did.</summary>
/// <param name="Destination">Where the image went.</param>
/// <param name="Digest">The digest of the top manifest or index pushed.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="Manifests">How many manifests and indexes were pushed.</param>
/// <param name="BlobsUploaded">Blobs whose bytes were uploaded.</param>
/// <param name="BlobsMounted">Blobs mounted from the source repository.</param>
/// <param name="BlobsExisting">Blobs the destination already had.</param>
/// <param name="BytesUploaded">Blob bytes uploaded.</param>
public sealed record CopyResult(ImageReference Destination, Digest Digest, string MediaType, int Manifests, int BlobsUploaded, int BlobsMounted, int BlobsExisting, long BytesUploaded)
{
    /// <summary>Where the source was really read from (registries.conf remaps and mirrors).</summary>
    public Mirrors.PullOrigin? Origin { get; init; }
}

/// <summary>
/// Registry-to-registry copy with one client (<c>crane copy</c>): a <see cref="RegistryImageSource"/> written to a
/// <see cref="RegistryImageSink"/>. The <c>dockyard image copy</c> use case covers every other source and sink.
/// </summary>
public sealed class ImageCopier(RegistryClient client)
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public async Task<CopyResult> CopyAsync(ImageReference source, ImageReference destination, CopyOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CopyOptions();
        var reader = new RegistryImageSource(client, source);
        var content = await reader.ReadAsync(new ImageReadOptions { AllPlatforms = options.AllPlatforms, Platform = options.Platform }, cancellationToken);
        if (destination.Digest is { } pinned && pinned != content.Digest)
            throw new Diagnostics.DockyardException($"Cannot copy {source} to {destination}: the source resolves to {content.Digest}, not the digest the destination names.");
        var written = await new RegistryImageSink(client, [destination]).WriteAsync(content, cancellationToken);
        return new CopyResult(destination, written.Digest, content.MediaType, written.Manifests, written.BlobsWritten, written.BlobsMounted, written.BlobsExisting, written.BytesWritten)
            { Origin = reader.Origin };
    }
}
