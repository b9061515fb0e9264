using Dockyard.Diagnostics;
using Dockyard.Registries.Manifests;

namespace Dockyard.Images.Transfer;

/// <summary>
/// Turns the top manifest or index of any content store into the image model: one platform's image, or every entry
/// of an index (runnable images as <see cref="Image"/>, the rest byte-exact as <see cref="OpaqueManifest"/>).
/// </summary>
internal static class ContentReader
{
    /// <summary>Reads from <paramref name="store"/> starting at the manifest or index <paramref name="top"/>.</summary>
    public static async Task<ImageContent> ReadAsync(IContentStore store, byte[] top, string mediaType, string name, ImageReadOptions options, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsIndex(mediaType))
            return await ReadImageAsync(store, top, mediaType, name, cancellationToken);
        var index = MultiPlatformImage.ParseIndex(top, name);
        if (!options.AllPlatforms)
        {
            var entry = PlatformSelector.Select(index, options.Platform ?? Platform.Current, name);
            var bytes = await store.ReadManifestAsync(entry, name, cancellationToken);
            return await ReadImageAsync(store, bytes, entry.MediaType, $"{name}@{entry.Digest}", cancellationToken);
        }
        var images = new List<Image>();
        var others = new List<OpaqueManifest>();
        foreach (var entry in index.Manifests)
        {
            var where = $"{name}@{entry.Digest}";
            if (!MediaTypes.IsManifest(entry.MediaType))
                throw new DockyardException($"{where}: the index lists a nested index or an unknown type ('{entry.MediaType}'); Dockyard copies indexes of image manifests only. Copy one platform instead.");
            var bytes = await store.ReadManifestAsync(entry, name, cancellationToken);
            var manifest = Image.ParseManifest(bytes, where);
            if (IsRunnable(entry, manifest))
                images.Add(await ReadImageAsync(store, bytes, entry.MediaType, where, cancellationToken));
            else
                others.Add(new OpaqueManifest(entry, bytes,
                    [.. new[] { manifest.Config }.Concat(manifest.Layers).DistinctBy(d => d.Digest).Select(d => new BlobReference(d, store.Blob(d, where)))]));
        }
        return MultiPlatformImage.FromBytes(name, top, mediaType, images, others);
    }

    /// <summary>An image manifest whose config is an image config and whose platform is a real one (not an attestation).</summary>
    private static bool IsRunnable(Descriptor entry, ImageManifest manifest) =>
        manifest.Config.MediaType is MediaTypes.OciConfig or MediaTypes.DockerConfig && entry.Platform is not { Os: "unknown" } && entry.Platform is not { Architecture: "unknown" };

    private static async Task<Image> ReadImageAsync(IContentStore store, byte[] bytes, string mediaType, string name, CancellationToken cancellationToken)
    {
        var manifest = Image.ParseManifest(bytes, name);
        var config = await store.ReadBlobAsync(manifest.Config, name, cancellationToken);
        var image = Image.FromBytes(name, bytes, mediaType, config, d => store.Blob(d, name));
        return new Image
        {
            Name = image.Name, Platform = image.Platform, Format = image.Format, ConfigBytes = image.ConfigBytes, ManifestBytes = image.ManifestBytes,
            Manifest = image.Manifest, Layers = image.Layers, ConfigOrigin = store.Blob(manifest.Config, name),
        };
    }
}
