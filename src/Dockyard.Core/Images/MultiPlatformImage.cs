using System.Text.Json;
using Dockyard.Diagnostics;

namespace Dockyard.Images;

/// <summary>
/// A multi-platform image: the exact index (OCI) or manifest list (Docker) bytes, the runnable images it lists, and
/// the entries that are not runnable images (<see cref="Others"/>), kept byte-exact.
/// </summary>
public sealed class MultiPlatformImage : ImageContent
{
    private readonly IReadOnlyList<Image> _images;

    private MultiPlatformImage(IReadOnlyList<Image> images) => _images = images;

    /// <summary>The index bytes.</summary>
    public required byte[] IndexBytes { get; init; }

    /// <summary>The index, as parsed from <see cref="IndexBytes"/>.</summary>
    public required ImageIndex Index { get; init; }

    /// <summary>Index entries that are not runnable images, with their bytes and blobs.</summary>
    public IReadOnlyList<OpaqueManifest> Others { get; init; } = [];

    /// <inheritdoc />
    public override byte[] TopBytes => IndexBytes;

    /// <inheritdoc />
    public override string MediaType => Index.MediaType ?? Format.IndexMediaType();

    /// <inheritdoc />
    public override IReadOnlyList<Image> Images => _images;

    /// <summary>Builds the index over <paramref name="images"/>: one per platform, all of one media-type family.</summary>
    /// <exception cref="DockyardException">No image, mixed families, or two images for one platform.</exception>
    public static MultiPlatformImage Create(IReadOnlyList<Image> images)
    {
        if (images.Count == 0) throw new DockyardException("An image index needs at least one image; give one or more --platform values.");
        var format = images[0].Format;
        if (images.Any(i => i.Format != format))
            throw new DockyardException("The images for an index mix Docker and OCI media types; build every platform in one format.");
        var duplicate = images.GroupBy(i => i.Platform.ToString()).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DockyardException($"Platform {duplicate.Key} appears twice in the index; list each platform once.");
        var index = new ImageIndex { MediaType = format.IndexMediaType(), Manifests = images.Select(i => i.ManifestDescriptor).ToList() };
        return new MultiPlatformImage(images) { Format = format, IndexBytes = JsonSerializer.SerializeToUtf8Bytes(index, ImageJson.Options), Index = index };
    }

    /// <summary>An index read from a source: its exact bytes, the images and the other entries it lists.</summary>
    public static MultiPlatformImage FromBytes(string name, byte[] indexBytes, string? mediaType, IReadOnlyList<Image> images, IReadOnlyList<OpaqueManifest> others)
    {
        var index = ParseIndex(indexBytes, name);
        var format = ImageFormats.FromMediaType(index.MediaType ?? mediaType) ?? images.FirstOrDefault()?.Format ?? ImageFormat.Oci;
        return new MultiPlatformImage(images)
        {
            Name = name, Format = format, IndexBytes = indexBytes, Others = others,
            Index = index.MediaType is null ? index with { MediaType = mediaType ?? format.IndexMediaType() } : index,
        };
    }

    /// <summary>Parses and validates index bytes (every entry's descriptor checked before any use).</summary>
    /// <exception cref="DockyardException">Not JSON, no <c>manifests</c> list, or an invalid entry.</exception>
    public static ImageIndex ParseIndex(byte[] bytes, string name)
    {
        ImageIndex? index;
        try
        {
            index = JsonSerializer.Deserialize<ImageIndex>(bytes);
        }
        catch (JsonException e)
        {
            throw new DockyardException($"{name}: the image index is not valid ({e.Message}).", e);
        }
        if (index is null) throw new DockyardException($"{name}: the image index is empty (null).");
        if (index.Manifests is null) throw new DockyardException($"{name}: the image index has no \"manifests\" list; it is damaged.");
        for (var i = 0; i < index.Manifests.Count; i++)
        {
            if (index.Manifests[i] is null) throw new DockyardException($"{name}: entry {i + 1} of the image index is null; it is damaged.");
            index.Manifests[i].Validate($"{name}: index entry {i + 1}");
        }
        return index;
    }
}
