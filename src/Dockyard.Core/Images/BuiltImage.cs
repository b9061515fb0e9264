namespace Dockyard.Images;

/// <summary>
/// An assembled image ready to write or push: the exact config and manifest bytes (digests are of these bytes) and
/// the layers with their blob sources.
/// </summary>
public sealed class BuiltImage
{
    /// <summary>The platform of the image.</summary>
    public required Platform Platform { get; init; }

    /// <summary>The media-type family.</summary>
    public required ImageFormat Format { get; init; }

    /// <summary>The config blob bytes.</summary>
    public required byte[] ConfigBytes { get; init; }

    /// <summary>The manifest bytes.</summary>
    public required byte[] ManifestBytes { get; init; }

    /// <summary>The manifest, as parsed from <see cref="ManifestBytes"/>.</summary>
    public required ImageManifest Manifest { get; init; }

    /// <summary>The layers, base first, matching <see cref="ImageManifest.Layers"/>.</summary>
    public required IReadOnlyList<ImageLayer> Layers { get; init; }

    /// <summary>The digest of the manifest bytes (what a registry calls the image's digest).</summary>
    public Digest ManifestDigest => Digest.Sha256(ManifestBytes);

    /// <summary>The image ID: the digest of the config bytes.</summary>
    public Digest ConfigDigest => Digest.Sha256(ConfigBytes);

    /// <summary>A descriptor of the manifest (with platform), as an index lists it.</summary>
    public Descriptor ManifestDescriptor => new()
    {
        MediaType = Format.ManifestMediaType(),
        Digest = ManifestDigest.ToString(),
        Size = ManifestBytes.Length,
        Platform = new DescriptorPlatform { Architecture = Platform.Architecture, Os = Platform.Os, Variant = Platform.Variant },
    };

    /// <summary>The parsed config.</summary>
    public ImageConfig Config => ImageConfig.Parse(ConfigBytes);

    /// <summary>This image as a base for another build (<c>FROM</c> a stage built earlier).</summary>
    public SourceImage ToSourceImage(string name) => new()
    {
        Name = name, Format = Format, Config = Config, Layers = Layers,
        ManifestDescriptor = ManifestDescriptor with { Platform = null },
    };
}
