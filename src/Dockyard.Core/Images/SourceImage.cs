namespace Dockyard.Images;

/// <summary>
/// An existing image to build on (<c>FROM</c>) or to write out: its config, its layers and its media-type family.
/// Produced by the layout and archive readers (and by the registry client when pulling).
/// </summary>
public sealed class SourceImage
{
    /// <summary>Where the image came from, for messages (e.g. <c>oci:/tmp/base:latest</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The media-type family of the image's manifest.</summary>
    public required ImageFormat Format { get; init; }

    /// <summary>The parsed config (callers clone before editing).</summary>
    public required ImageConfig Config { get; init; }

    /// <summary>The layers, base first; as many as <c>rootfs.diff_ids</c>.</summary>
    public required IReadOnlyList<ImageLayer> Layers { get; init; }

    /// <summary>For a registry pull redirected by registries.conf: where it was really pulled from, as one line for logs.</summary>
    public string? PulledFrom { get; init; }

    /// <summary>The image's own manifest descriptor (digest of its manifest bytes), when it has one.</summary>
    public Descriptor? ManifestDescriptor { get; init; }
}
