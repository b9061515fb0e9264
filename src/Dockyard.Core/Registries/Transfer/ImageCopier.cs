using System.Collections.Concurrent;
using Dockyard.Images;
using Dockyard.Registries.Manifests;
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
/// Copies an image or index from one repository to another, like <c>crane copy</c>/<c>skopeo copy</c>: manifests
/// byte-exact (digests kept), blobs streamed registry to registry or mounted when both repositories are on one
/// registry, each manifest pushed only after everything it references is present.
/// </summary>
public sealed class ImageCopier(RegistryClient client)
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public async Task<CopyResult> CopyAsync(ImageReference source, ImageReference destination, CopyOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CopyOptions();
        var stats = new Stats();
        var pulled = await client.GetPullManifestAsync(source, cancellationToken);
        source = pulled.Origin.Source; // registries.conf may redirect the read; everything else comes from the same place
        var top = pulled.Manifest;
        if (top.IsIndex && !options.AllPlatforms)
        {
            var entry = PlatformSelector.Select(top.ParseIndex(), options.Platform ?? Platform.Current, source.ToString());
            top = await client.GetManifestAsync(source.WithDigest(Digest.Parse(entry.Digest)), cancellationToken);
        }
        if (destination.Digest is { } pinned && pinned != top.Digest)
            throw new Diagnostics.DockyardException($"Cannot copy {source} to {destination}: the source resolves to {top.Digest}, not the digest the destination names.");
        await CopyContentAsync(source, destination, top, stats, cancellationToken);
        return new CopyResult(destination, top.Digest, top.MediaType, stats.Manifests, stats.Uploaded, stats.Mounted, stats.Existing, stats.Bytes) { Origin = pulled.Origin };
    }

    private async Task CopyContentAsync(ImageReference source, ImageReference destination, ManifestContent content, Stats stats, CancellationToken cancellationToken)
    {
        if (content.IsIndex)
        {
            foreach (var entry in content.ParseIndex().Manifests)
            {
                var child = await client.GetManifestAsync(source.WithDigest(Digest.Parse(entry.Digest)), cancellationToken);
                await CopyContentAsync(source, destination.WithDigest(child.Digest), child, stats, cancellationToken);
            }
            await client.PushImageAsync(destination, content, [], null, cancellationToken);
            Interlocked.Increment(ref stats.Manifests);
            return;
        }
        var sameRegistry = source.Registry == destination.Registry;
        var blobs = content.References()
            .Where(d => d.Urls is not { Count: > 0 } || d.MediaType != MediaTypes.DockerForeignLayerGzip)
            .DistinctBy(d => d.Digest)
            .Select(d => new BlobToPush(d, new RegistryBlobSource(client, source, d), sameRegistry ? source.Repository : null))
            .ToList();
        var result = await client.PushImageAsync(destination, content, blobs, null, cancellationToken);
        foreach (var blob in blobs)
        {
            switch (result.Blobs[blob.Descriptor.Digest])
            {
                case BlobPushOutcome.Uploaded: Interlocked.Increment(ref stats.Uploaded); Interlocked.Add(ref stats.Bytes, blob.Descriptor.Size); break;
                case BlobPushOutcome.Mounted: Interlocked.Increment(ref stats.Mounted); break;
                default: Interlocked.Increment(ref stats.Existing); break;
            }
        }
        Interlocked.Increment(ref stats.Manifests);
    }

    private sealed class Stats
    {
        public int Manifests;
        public int Uploaded;
        public int Mounted;
        public int Existing;
        public long Bytes;
    }
}
