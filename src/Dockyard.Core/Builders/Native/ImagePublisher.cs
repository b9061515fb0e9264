using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.Manifests;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;

namespace Dockyard.Builders.Native;

/// <summary>Pushes a natively built image to a registry under several tags (on-disk outputs go through <see cref="Images.Layout.ImageOutput"/>).</summary>
public static class ImagePublisher
{
    /// <summary>Pushes <paramref name="image"/> under every reference of <paramref name="tags"/> (blobs once per repository).</summary>
    /// <returns>The manifest digest.</returns>
    /// <exception cref="DockyardException">No tag was given or the registry refused the push.</exception>
    public static async Task<Digest> PushAsync(BuiltImage image, RegistryClient registry, IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        foreach (var (first, more) in Repositories(tags))
        {
            var result = await registry.PushImageAsync(first, Manifest(image), Blobs(image), more, cancellationToken);
            if (result.Digest != image.ManifestDigest)
                throw new DockyardException($"{first}: the registry stored digest {result.Digest}, not {image.ManifestDigest}.");
        }
        return image.ManifestDigest;
    }

    /// <summary>Pushes every image of <paramref name="index"/> by digest, then the index under every reference of <paramref name="tags"/>.</summary>
    /// <returns>The index digest.</returns>
    /// <exception cref="DockyardException">No tag was given or the registry refused the push.</exception>
    public static async Task<Digest> PushIndexAsync(BuiltIndex index, RegistryClient registry, IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        foreach (var (first, more) in Repositories(tags))
        {
            foreach (var image in index.Images)
                await registry.PushImageAsync(first.WithDigest(image.ManifestDigest), Manifest(image), Blobs(image), null, cancellationToken);
            var content = ManifestContent.FromBytes(index.IndexBytes, index.Descriptor.MediaType, "built index");
            await registry.PushImageAsync(first, content, [], more, cancellationToken);
        }
        return index.Digest;
    }

    private static ManifestContent Manifest(BuiltImage image) => ManifestContent.FromBytes(image.ManifestBytes, image.Manifest.MediaType, "built image");

    private static List<BlobToPush> Blobs(BuiltImage image) =>
    [
        new(image.Manifest.Config, new BytesBlobSource(image.ConfigBytes)),
        .. image.Layers.DistinctBy(l => l.Descriptor.Digest).Select(l => new BlobToPush(l.Descriptor, new StoreBlobSource(l.Source, l.Descriptor))),
    ];

    private static IEnumerable<(ImageReference First, List<string> More)> Repositories(IReadOnlyList<string> tags)
    {
        if (tags.Count == 0) throw new DockyardException("Pushing needs at least one tag REGISTRY/REPOSITORY:TAG; name the image.") { Setting = Setting.Tag };
        var references = tags.Select(t => ImageReference.TryParse(t, out var r, out var error) ? r
            : throw new DockyardException($"The tag '{t}' is not an image reference ({error}); write REGISTRY/REPOSITORY:TAG.") { Setting = Setting.Tag }).ToList();
        return references.GroupBy(r => r.Name).Select(g => (g.First(), g.Skip(1).Select(r => r.Tag).OfType<string>().ToList())).ToList();
    }

    private sealed class StoreBlobSource(IBlobStore store, Descriptor descriptor) : IBlobSource
    {
        public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Task.FromResult(store.OpenBlob(descriptor));
    }
}
