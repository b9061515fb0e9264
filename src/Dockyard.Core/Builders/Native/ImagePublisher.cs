using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;

namespace Dockyard.Builders.Native;

/// <summary>Pushes a natively built image or index to a registry under several tags (through <see cref="RegistryImageSink"/>).</summary>
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
        var written = await new RegistryImageSink(registry, references).WriteAsync(content, cancellationToken);
        if (written.Digest != content.Digest)
            throw new DockyardException($"{references[0]}: the registry stored digest {written.Digest}, not {content.Digest}.");
        return content.Digest;
    }
}
