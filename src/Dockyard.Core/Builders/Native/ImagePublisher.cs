using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;

namespace Dockyard.Builders.Native;

/// <summary>
/// Pushes a natively built image or index to a registry under several tags (through <see cref="RegistryImageSink"/>).
/// A tag that already names the same manifest digest is left alone (nothing uploaded, not even the manifest), so an
/// unchanged rebuild uploads 0 bytes; only the tags that are missing or point elsewhere are pushed.
/// </summary>
public static class ImagePublisher
{
    /// <summary>Pushes <paramref name="image"/> under every reference of <paramref name="tags"/> (blobs once per repository).</summary>
    /// <returns>The manifest digest.</returns>
    /// <exception cref="DockyardException">No tag was given or the registry refused the push.</exception>
    public static Task<Digest> PushAsync(Image image, RegistryClient registry, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        PushContentAsync(image, registry, tags, cancellationToken);

    /// <summary>Pushes every image of <paramref name="index"/> by digest, then the index under every reference of <paramref name="tags"/>.</summary>
    /// <returns>The index digest.</returns>
    /// <exception cref="DockyardException">No tag was given or the registry refused the push.</exception>
    public static Task<Digest> PushIndexAsync(MultiPlatformImage index, RegistryClient registry, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        PushContentAsync(index, registry, tags, cancellationToken);

    private static async Task<Digest> PushContentAsync(ImageContent content, RegistryClient registry, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        if (tags.Count == 0) throw new DockyardException("Pushing needs at least one tag REGISTRY/REPOSITORY:TAG; name the image.") { Setting = Setting.Tag };
        var references = tags.Select(t => ImageReference.TryParse(t, out var r, out var error) ? r
            : throw new DockyardException($"The tag '{t}' is not an image reference ({error}); write REGISTRY/REPOSITORY:TAG.") { Setting = Setting.Tag }).ToList();
        var stale = new List<ImageReference>();
        foreach (var reference in references)
            if (!await PointsAtAsync(registry, reference, content.Digest, cancellationToken)) stale.Add(reference);
        if (stale.Count == 0) return content.Digest;
        var written = await new RegistryImageSink(registry, stale).WriteAsync(content, cancellationToken);
        if (written.Digest != content.Digest)
            throw new DockyardException($"{references[0]}: the registry stored digest {written.Digest}, not {content.Digest}.");
        return content.Digest;
    }

    /// <summary>Whether <paramref name="reference"/>'s tag already names the manifest <paramref name="digest"/> (a small GET; 404 = no).</summary>
    private static async Task<bool> PointsAtAsync(RegistryClient registry, ImageReference reference, Digest digest, CancellationToken cancellationToken) =>
        reference.Tag is not null && reference.Digest is null
        && await registry.TryGetManifestAsync(reference, cancellationToken) is { } existing && existing.Digest == digest;
}
