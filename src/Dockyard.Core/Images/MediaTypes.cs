namespace Dockyard.Images;

/// <summary>The OCI and Docker media types Dockyard reads and writes.</summary>
public static class MediaTypes
{
    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    /// <summary>OCI image index.</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    /// <summary>OCI image config.</summary>
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    /// <summary>OCI uncompressed layer.</summary>
    public const string OciLayerTar = "application/vnd.oci.image.layer.v1.tar";
    /// <summary>OCI gzip layer.</summary>
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    /// <summary>OCI zstd layer.</summary>
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    /// <summary>OCI empty descriptor (artifacts).</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    /// <summary>Docker image manifest, schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    /// <summary>Docker manifest list.</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    /// <summary>Docker image config.</summary>
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    /// <summary>Docker gzip layer.</summary>
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /// <summary>Docker foreign (non-distributable) gzip layer.</summary>
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /// <summary>Every manifest and index type, in the order sent in an <c>Accept</c> header.</summary>
    public static IReadOnlyList<string> AllManifestTypes { get; } = [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    /// <summary>Whether the type is an index (OCI index or Docker manifest list).</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>Whether the type is a single-image manifest (OCI or Docker).</summary>
    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;
}
