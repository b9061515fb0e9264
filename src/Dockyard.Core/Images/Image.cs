using System.Text.Json;
using Dockyard.Diagnostics;

namespace Dockyard.Images;

/// <summary>
/// One image: the exact config and manifest bytes (digests are of these bytes), the parsed views, and the layers
/// with their blob sources. Built here (<see cref="ImageBuilder"/>) or read from any source.
/// </summary>
public sealed class Image : ImageContent
{
    /// <summary>The platform of the image (from its config).</summary>
    public required Platform Platform { get; init; }

    /// <summary>The config blob bytes.</summary>
    public required byte[] ConfigBytes { get; init; }

    /// <summary>The manifest bytes.</summary>
    public required byte[] ManifestBytes { get; init; }

    /// <summary>The manifest, as parsed from <see cref="ManifestBytes"/>.</summary>
    public required ImageManifest Manifest { get; init; }

    /// <summary>The layers, base first, matching <see cref="ImageManifest.Layers"/>.</summary>
    public required IReadOnlyList<ImageLayer> Layers { get; init; }

    /// <summary>
    /// Where the config blob can be read again (its origin, e.g. a registry repository, so a registry sink can mount
    /// it); <c>null</c>: from <see cref="ConfigBytes"/>.
    /// </summary>
    public IBlobSource? ConfigOrigin { get; init; }

    /// <summary>The source of the config blob.</summary>
    public IBlobSource ConfigBlob => ConfigOrigin ?? new BytesBlobSource(ConfigBytes);

    /// <inheritdoc />
    public override byte[] TopBytes => ManifestBytes;

    /// <inheritdoc />
    public override string MediaType => Manifest.MediaType ?? Format.ManifestMediaType();

    /// <inheritdoc />
    public override IReadOnlyList<Image> Images => [this];

    /// <summary>The digest of the manifest bytes (what a registry calls the image's digest).</summary>
    public Digest ManifestDigest => Digest;

    /// <summary>The image ID: the digest of the config bytes.</summary>
    public Digest ConfigDigest => Digest.Sha256(ConfigBytes);

    /// <summary>A descriptor of the manifest with its platform, as an index lists it.</summary>
    public Descriptor ManifestDescriptor => Descriptor with
    {
        Platform = new DescriptorPlatform { Architecture = Platform.Architecture, Os = Platform.Os, Variant = Platform.Variant },
    };

    /// <summary>A fresh parse of the config (callers may edit it).</summary>
    public ImageConfig Config => ImageConfig.Parse(ConfigBytes, $"{Name}: config");

    /// <summary>
    /// Where a pull of this image actually went when containers-registries.conf sent it elsewhere
    /// (<c>X from Y (registries.conf FILE, prefix 'P')</c>); <c>null</c> when it came from where its name says.
    /// </summary>
    public string? PulledFrom { get; init; }

    /// <summary>The same image under another name (for messages), and where it was pulled from when that differs.</summary>
    public Image Named(string name, string? pulledFrom = null) => new()
    {
        Name = name, Platform = Platform, Format = Format, ConfigBytes = ConfigBytes, ManifestBytes = ManifestBytes, Manifest = Manifest, Layers = Layers,
        ConfigOrigin = ConfigOrigin, PulledFrom = pulledFrom ?? PulledFrom,
    };

    /// <summary>
    /// The same image with OCI media types (what an OCI layout can list, like <c>skopeo copy</c> converts): config
    /// bytes and layer blobs unchanged, a new manifest. An OCI image is returned as is.
    /// </summary>
    public Image ToOci()
    {
        if (Format == ImageFormat.Oci) return this;
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Manifest.Config with { MediaType = MediaTypes.OciConfig },
            Layers = Manifest.Layers.Select(l => ImageFormats.ConvertLayer(l, ImageFormat.Oci)).ToList(),
            Annotations = Manifest.Annotations,
        };
        return new Image
        {
            Name = Name, Platform = Platform, Format = ImageFormat.Oci, ConfigBytes = ConfigBytes, ConfigOrigin = ConfigOrigin, PulledFrom = PulledFrom,
            ManifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ImageJson.Options), Manifest = manifest,
            Layers = Layers.Select((l, i) => l with { Descriptor = manifest.Layers[i] }).ToList(),
        };
    }

    /// <summary>
    /// An image from its exact manifest and config bytes: parses and validates both (descriptors, diff_id count,
    /// config digest) and pairs each layer descriptor with its diff_id and the blob source <paramref name="blob"/> gives.
    /// </summary>
    /// <exception cref="DockyardException">The manifest or config is invalid or they disagree.</exception>
    public static Image FromBytes(string name, byte[] manifestBytes, string? mediaType, byte[] configBytes, Func<Descriptor, IBlobSource> blob)
    {
        var manifest = ParseManifest(manifestBytes, name);
        if (!Dockyard.Images.Digest.Parse(manifest.Config.Digest).Matches(configBytes) || manifest.Config.Size != configBytes.Length)
            throw new DockyardException($"{name}: the config does not match its descriptor {manifest.Config.Digest} ({manifest.Config.Size} bytes); the image is damaged.");
        var config = ImageConfig.Parse(configBytes, $"{name}: config {manifest.Config.Digest}");
        var diffIds = config.DiffIds;
        if (diffIds.Count != manifest.Layers.Count)
            throw new DockyardException($"{name}: the manifest lists {manifest.Layers.Count} layers but the config {diffIds.Count} diff_ids; the image is damaged.");
        var format = ImageFormats.FromMediaType(manifest.MediaType ?? mediaType) ?? ImageFormats.FromMediaType(manifest.Config.MediaType) ?? ImageFormat.Oci;
        return new Image
        {
            Name = name, Platform = config.Platform, Format = format, ConfigBytes = configBytes, ManifestBytes = manifestBytes,
            Manifest = manifest.MediaType is null ? manifest with { MediaType = mediaType ?? format.ManifestMediaType() } : manifest,
            Layers = manifest.Layers.Select((l, i) => new ImageLayer(l, diffIds[i], blob(l))).ToList(),
        };
    }

    /// <summary>
    /// An image whose manifest is written here (a docker archive has none): <paramref name="layers"/> in order,
    /// config bytes as given.
    /// </summary>
    public static Image Assemble(string name, ImageFormat format, byte[] configBytes, IReadOnlyList<ImageLayer> layers)
    {
        var manifest = new ImageManifest
        {
            MediaType = format.ManifestMediaType(),
            Config = new Descriptor { MediaType = format.ConfigMediaType(), Digest = Digest.Sha256(configBytes).ToString(), Size = configBytes.Length },
            Layers = layers.Select(l => l.Descriptor).ToList(),
        };
        return new Image
        {
            Name = name, Platform = ImageConfig.Parse(configBytes, $"{name}: config").Platform, Format = format, ConfigBytes = configBytes,
            ManifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ImageJson.Options), Manifest = manifest, Layers = layers,
        };
    }

    /// <summary>Parses and validates image manifest bytes (every descriptor checked before any use).</summary>
    /// <exception cref="DockyardException">Not JSON, not an image manifest, a missing config or layers, or an invalid descriptor.</exception>
    public static ImageManifest ParseManifest(byte[] bytes, string name)
    {
        ImageManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ImageManifest>(bytes);
        }
        catch (JsonException e)
        {
            throw new DockyardException($"{name}: the manifest is not a valid image manifest ({e.Message}).", e);
        }
        if (manifest is null) throw new DockyardException($"{name}: the manifest is empty (null).");
        if (manifest.Config is null) throw new DockyardException($"{name}: the manifest has no \"config\" descriptor; the image is damaged.");
        if (manifest.Layers is null) throw new DockyardException($"{name}: the manifest has no \"layers\" list; the image is damaged.");
        manifest.Config.Validate($"{name}: config");
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            if (manifest.Layers[i] is null) throw new DockyardException($"{name}: layer {i + 1} of the manifest is null; the image is damaged.");
            manifest.Layers[i].Validate($"{name}: layer {i + 1}");
        }
        return manifest;
    }
}
