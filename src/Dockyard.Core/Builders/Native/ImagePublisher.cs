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
        if (tags.Count == 0) throw new DockyardException("A registry output needs at least one -t REGISTRY/REPOSITORY:TAG.");
        var manifest = ManifestContent.FromBytes(image.ManifestBytes, image.Manifest.MediaType, "built image");
        var blobs = new List<BlobToPush> { new(image.Manifest.Config, new BytesBlobSource(image.ConfigBytes)) };
        blobs.AddRange(image.Layers.DistinctBy(l => l.Descriptor.Digest).Select(l => new BlobToPush(l.Descriptor, new StoreBlobSource(l.Source, l.Descriptor))));
        var references = tags.Select(t => ImageReference.TryParse(t, out var r, out var error) ? r
            : throw new DockyardException($"-t {t}: not an image reference ({error}). Write REGISTRY/REPOSITORY:TAG.")).ToList();
        foreach (var group in references.GroupBy(r => r.Name))
        {
            var first = group.First();
            var more = group.Skip(1).Select(r => r.Tag).OfType<string>().ToList();
            var result = await registry.PushImageAsync(first, manifest, blobs, more, cancellationToken);
            if (result.Digest != image.ManifestDigest)
                throw new DockyardException($"{first}: the registry stored digest {result.Digest}, not {image.ManifestDigest}.");
        }
        return image.ManifestDigest;
    }

    private sealed class StoreBlobSource(IBlobStore store, Descriptor descriptor) : IBlobSource
    {
        public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Task.FromResult(store.OpenBlob(descriptor));
    }
}
