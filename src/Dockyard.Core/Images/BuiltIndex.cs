using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Diagnostics;

namespace Dockyard.Images;

/// <summary>A multi-platform image: an index (OCI) or manifest list (Docker) over several built images.</summary>
public sealed class BuiltIndex
{

    private BuiltIndex(ImageFormat format, IReadOnlyList<BuiltImage> images, byte[] indexBytes)
    {
        Format = format;
        Images = images;
        IndexBytes = indexBytes;
    }

    /// <summary>The media-type family (shared by every image).</summary>
    public ImageFormat Format { get; }

    /// <summary>The images, in the order given.</summary>
    public IReadOnlyList<BuiltImage> Images { get; }

    /// <summary>The index bytes.</summary>
    public byte[] IndexBytes { get; }

    /// <summary>The digest of the index bytes.</summary>
    public Digest Digest => Digest.Sha256(IndexBytes);

    /// <summary>A descriptor of the index itself.</summary>
    public Descriptor Descriptor => new() { MediaType = Format.IndexMediaType(), Digest = Digest.ToString(), Size = IndexBytes.Length };

    /// <summary>Builds the index over <paramref name="images"/>: one per platform, all of one media-type family.</summary>
    /// <exception cref="DockyardException">No image, mixed families, or two images for one platform.</exception>
    public static BuiltIndex Create(IReadOnlyList<BuiltImage> images)
    {
        if (images.Count == 0) throw new DockyardException("An image index needs at least one image; give one or more --platform values.");
        var format = images[0].Format;
        if (images.Any(i => i.Format != format))
            throw new DockyardException("The images for an index mix Docker and OCI media types; build every platform in one format.");
        var duplicate = images.GroupBy(i => i.Platform.ToString()).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DockyardException($"Platform {duplicate.Key} appears twice in the index; list each platform once.");
        var index = new ImageIndex { MediaType = format.IndexMediaType(), Manifests = images.Select(i => i.ManifestDescriptor).ToList() };
        return new BuiltIndex(format, images, JsonSerializer.SerializeToUtf8Bytes(index, ImageJson.Options));
    }
}
