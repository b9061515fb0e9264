using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Images.Transfer;
using Dockyard.Registries.Manifests;
using Dockyard.Registries.References;

namespace Dockyard.Registries.Transfer;

/// <summary>
/// Pushes an image or index to a registry under every reference given: blobs once per repository (existing → mount
/// from the source repository when it is on the same registry → upload), manifests byte-exact and only after
/// everything they reference is present, then every tag.
/// </summary>
public sealed class RegistryImageSink : IImageSink
{
    private readonly RegistryClient _client;
    private readonly IReadOnlyList<ImageReference> _targets;

    /// <summary>A sink writing to <paramref name="targets"/> (at least one; several repositories allowed).</summary>
    /// <exception cref="DockyardException">No target.</exception>
    public RegistryImageSink(RegistryClient client, IReadOnlyList<ImageReference> targets)
    {
        if (targets.Count == 0) throw new DockyardException("A registry destination needs at least one REGISTRY/REPOSITORY:TAG.");
        _client = client;
        _targets = targets;
    }

    /// <inheritdoc />
    public string Name => _targets[0].ToString();

    /// <inheritdoc />
    public async Task<ImageWriteResult> WriteAsync(ImageContent content, CancellationToken cancellationToken)
    {
        var stats = new Stats();
        var pushed = new List<ImageReference>();
        foreach (var repository in _targets.GroupBy(t => t.Name))
        {
            try
            {
                await WriteRepositoryAsync(content, repository.ToList(), stats, cancellationToken);
            }
            catch (DockyardException e) when (pushed.Count > 0)
            {
                // A later repository failed: the earlier ones are complete, under every tag; say so.
                throw new DockyardException($"{e.Message.TrimEnd()} Already pushed: {string.Join(", ", pushed)}.", e)
                    { Code = e.Code, Subject = e.Subject, Setting = e.Setting };
            }
            pushed.AddRange(repository);
        }
        return new ImageWriteResult(content.Digest, _targets.Select(t => t.ToString()).ToList(), stats.Manifests, stats.Uploaded, stats.Mounted, stats.Existing, stats.Bytes);
    }

    private async Task WriteRepositoryAsync(ImageContent content, List<ImageReference> repository, Stats stats, CancellationToken cancellationToken)
    {
        var first = repository.First();
        var moreTags = repository.Skip(1).Select(t => t.Tag).OfType<string>().ToList();
        switch (content)
        {
            case Image image:
                await PushAsync(first, Manifest(image.ManifestBytes, image.MediaType, image.Name), Blobs(image, first), moreTags, stats, cancellationToken);
                break;
            case MultiPlatformImage index:
                foreach (var image in index.Images)
                    await PushAsync(first.WithDigest(image.Digest), Manifest(image.ManifestBytes, image.MediaType, image.Name), Blobs(image, first), null, stats, cancellationToken);
                foreach (var other in index.Others)
                    await PushAsync(first.WithDigest(Digest.Parse(other.Entry.Digest)), Manifest(other.Bytes, other.Entry.MediaType, index.Name),
                        other.Blobs.Select(b => ToPush(b.Descriptor, b.Source, first)).ToList(), null, stats, cancellationToken);
                await PushAsync(first, Manifest(index.IndexBytes, index.MediaType, index.Name), [], moreTags, stats, cancellationToken);
                break;
            default:
                throw new DockyardException($"{Name}: cannot push content of type {content.GetType().Name}.");
        }
    }

    private async Task PushAsync(ImageReference target, ManifestContent manifest, List<BlobToPush> blobs, IReadOnlyList<string>? moreTags, Stats stats, CancellationToken cancellationToken)
    {
        var result = await _client.PushImageAsync(target, manifest, blobs, moreTags, cancellationToken);
        foreach (var blob in blobs)
        {
            switch (result.Blobs[blob.Descriptor.Digest])
            {
                case BlobPushOutcome.Uploaded: stats.Uploaded++; stats.Bytes += blob.Descriptor.Size; break;
                case BlobPushOutcome.Mounted: stats.Mounted++; break;
                default: stats.Existing++; break;
            }
        }
        stats.Manifests++;
    }

    private static ManifestContent Manifest(byte[] bytes, string mediaType, string where) => ManifestContent.FromBytes(bytes, mediaType, where);

    private static List<BlobToPush> Blobs(Image image, ImageReference target) =>
    [
        ToPush(image.Manifest.Config, image.ConfigBlob, target),
        .. image.Layers
            .Where(l => l.Descriptor.Urls is not { Count: > 0 } || l.Descriptor.MediaType != MediaTypes.DockerForeignLayerGzip)
            .DistinctBy(l => l.Descriptor.Digest)
            .Select(l => ToPush(l.Descriptor, l.Blob, target)),
    ];

    /// <summary>A blob to push; mounted when it streams from (or was pulled from) another repository of the destination's registry.</summary>
    private static BlobToPush ToPush(Descriptor descriptor, IBlobSource source, ImageReference target)
    {
        var origin = source switch { RegistryBlobSource r => r.Repository, CachedRegistryBlobSource c => c.Repository, _ => null };
        return new(descriptor, source, origin is not null && origin.Registry == target.Registry ? origin.Repository : null);
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
