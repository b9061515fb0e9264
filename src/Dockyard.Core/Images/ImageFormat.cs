using Dockyard.Diagnostics;
using Dockyard.Layers;

namespace Dockyard.Images;

/// <summary>The media-type family of an image. One image never mixes the two.</summary>
public enum ImageFormat
{
    /// <summary>OCI image-spec media types (the default for new images; the only family with zstd layers).</summary>
    Oci,
    /// <summary>Docker image manifest v2 schema 2 media types (kept when a base image uses them).</summary>
    Docker,
}

/// <summary>Media types of each <see cref="ImageFormat"/>.</summary>
public static class ImageFormats
{
    /// <summary>The image manifest media type.</summary>
    public static string ManifestMediaType(this ImageFormat format) => format == ImageFormat.Oci ? MediaTypes.OciManifest : MediaTypes.DockerManifest;

    /// <summary>The index (manifest list) media type.</summary>
    public static string IndexMediaType(this ImageFormat format) => format == ImageFormat.Oci ? MediaTypes.OciIndex : MediaTypes.DockerManifestList;

    /// <summary>The config media type.</summary>
    public static string ConfigMediaType(this ImageFormat format) => format == ImageFormat.Oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig;

    /// <summary>The layer media type for a compression.</summary>
    /// <exception cref="DockyardException">Docker media types have no zstd or uncompressed layer type.</exception>
    public static string LayerMediaType(this ImageFormat format, LayerCompression compression) => (format, compression) switch
    {
        (ImageFormat.Oci, LayerCompression.Gzip) => MediaTypes.OciLayerGzip,
        (ImageFormat.Oci, LayerCompression.Zstd) => MediaTypes.OciLayerZstd,
        (ImageFormat.Oci, LayerCompression.None) => MediaTypes.OciLayerTar,
        (ImageFormat.Docker, LayerCompression.Gzip) => MediaTypes.DockerLayerGzip,
        _ => throw new DockyardException($"A Docker-format image cannot hold a {compression.ToString().ToLowerInvariant()} layer (Docker media types only know gzip); use gzip compression or build an OCI image."),
    };

    /// <summary>The family of a manifest, index or config media type; null when the type is neither.</summary>
    public static ImageFormat? FromMediaType(string? mediaType) => mediaType switch
    {
        MediaTypes.OciManifest or MediaTypes.OciIndex or MediaTypes.OciConfig => ImageFormat.Oci,
        MediaTypes.DockerManifest or MediaTypes.DockerManifestList or MediaTypes.DockerConfig => ImageFormat.Docker,
        _ => null,
    };

    /// <summary>The compression of a layer media type (OCI or Docker, including non-distributable variants).</summary>
    /// <exception cref="DockyardException">The media type is not a layer type Dockyard can read.</exception>
    public static LayerCompression CompressionOf(string mediaType) => mediaType switch
    {
        MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip or MediaTypes.DockerForeignLayerGzip
            or "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" => LayerCompression.Gzip,
        MediaTypes.OciLayerZstd or "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" => LayerCompression.Zstd,
        MediaTypes.OciLayerTar or "application/vnd.oci.image.layer.nondistributable.v1.tar" => LayerCompression.None,
        _ => throw new DockyardException($"Layer media type '{mediaType}' is not a tar layer Dockyard can read (expected an OCI or Docker tar/gzip/zstd layer)."),
    };

    /// <summary>
    /// The same layer descriptor in another family: only the media type changes (the blob bytes are identical), so
    /// the digest stays valid. Descriptors already in <paramref name="format"/> are returned verbatim.
    /// </summary>
    public static Descriptor ConvertLayer(Descriptor layer, ImageFormat format)
    {
        if (FromLayerMediaType(layer.MediaType) == format) return layer;
        return layer with { MediaType = format.LayerMediaType(CompressionOf(layer.MediaType)) };
    }

    /// <summary>The family a layer media type belongs to (Docker types start with <c>application/vnd.docker.</c>).</summary>
    private static ImageFormat FromLayerMediaType(string mediaType) =>
        mediaType.StartsWith("application/vnd.docker.", StringComparison.Ordinal) ? ImageFormat.Docker : ImageFormat.Oci;
}
