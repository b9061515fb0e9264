namespace Dockyard.Images;

/// <summary>
/// What a source yields and a sink takes: one <see cref="Image"/> or a <see cref="MultiPlatformImage"/>. Exact bytes
/// are the truth: <see cref="TopBytes"/> are the manifest or index bytes and <see cref="Digest"/> is their digest.
/// </summary>
public abstract class ImageContent
{
    /// <summary>Where the content came from, for messages (e.g. <c>oci:/tmp/base:latest</c>).</summary>
    public string Name { get; init; } = "image";

    /// <summary>The media-type family (one image never mixes Docker and OCI types).</summary>
    public required ImageFormat Format { get; init; }

    /// <summary>The manifest or index bytes.</summary>
    public abstract byte[] TopBytes { get; }

    /// <summary>The media type of <see cref="TopBytes"/>.</summary>
    public abstract string MediaType { get; }

    /// <summary>The digest of <see cref="TopBytes"/>.</summary>
    public Digest Digest => Digest.Sha256(TopBytes);

    /// <summary>A descriptor of the top manifest or index (no platform).</summary>
    public Descriptor Descriptor => new() { MediaType = MediaType, Digest = Digest.ToString(), Size = TopBytes.Length };

    /// <summary>Every runnable image (one for a plain image).</summary>
    public abstract IReadOnlyList<Image> Images { get; }
}
