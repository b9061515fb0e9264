using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Diagnostics;
using Dockyard.Layers;

namespace Dockyard.Images;

/// <summary>
/// Assembles an image mutate-style: start from a base image (its layer descriptors kept verbatim) or from scratch,
/// edit <see cref="Config"/>, append layers and history, then <see cref="Build"/> the config and manifest bytes.
/// One media-type family throughout: a Docker-typed base stays Docker unless OCI is asked for, in which case every
/// base descriptor's media type is converted (the blobs and digests do not change).
/// </summary>
public sealed class ImageBuilder
{
    /// <summary>The history comment BuildKit writes for Dockerfile steps.</summary>
    public const string BuildKitComment = "buildkit.dockerfile.v0";

    private readonly List<ImageLayer> _layers = [];

    /// <summary>Starts from <paramref name="baseImage"/>; <paramref name="format"/> defaults to the base's family.</summary>
    /// <exception cref="DockyardException">The base's layer count does not match its diff_ids.</exception>
    public ImageBuilder(Image baseImage, ImageFormat? format = null, DateTimeOffset? timestamp = null)
    {
        var config = baseImage.Config;
        if (baseImage.Layers.Count != config.DiffIds.Count)
            throw new DockyardException($"Base image {baseImage.Name} has {baseImage.Layers.Count} layers but its config lists {config.DiffIds.Count} diff_ids; the image is damaged, pull or export it again.");
        Format = format ?? baseImage.Format;
        Config = config;
        Timestamp = timestamp ?? ReproducibleTimestamp.Default;
        foreach (var layer in baseImage.Layers)
            _layers.Add(Format == baseImage.Format ? layer : layer with { Descriptor = ImageFormats.ConvertLayer(layer.Descriptor, Format) });
    }

    /// <summary>Starts <c>FROM scratch</c> for <paramref name="platform"/> (BuildKit's empty image: PATH and WorkingDir "/").</summary>
    public ImageBuilder(Platform platform, ImageFormat format = ImageFormat.Oci, DateTimeOffset? timestamp = null)
    {
        Format = format;
        Config = ImageConfig.CreateScratch(platform);
        Timestamp = timestamp ?? ReproducibleTimestamp.Default;
    }

    /// <summary>The media-type family of the result.</summary>
    public ImageFormat Format { get; }

    /// <summary>The config being edited.</summary>
    public ImageConfig Config { get; }

    /// <summary>The time stamped on new history entries and on the config's <c>created</c>.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The layers so far, base first.</summary>
    public IReadOnlyList<ImageLayer> Layers => _layers;

    /// <summary>Appends a layer built by <see cref="LayerBuilder"/> with a history entry.</summary>
    public ImageBuilder AddLayer(Layer layer, LayerCache cache, string createdBy, string? comment = BuildKitComment)
    {
        var descriptor = layer.ToDescriptor(Format);
        return AddLayer(new ImageLayer(descriptor, layer.DiffId, layer.Source ?? cache.Blob(descriptor)) { DiffSize = layer.DiffSize }, createdBy, comment);
    }

    /// <summary>Appends an existing layer (e.g. from another image) with a history entry.</summary>
    public ImageBuilder AddLayer(ImageLayer layer, string createdBy, string? comment = BuildKitComment)
    {
        var converted = layer with { Descriptor = ImageFormats.ConvertLayer(layer.Descriptor, Format) };
        _layers.Add(converted);
        Config.AddDiffId(layer.DiffId);
        Config.AddHistory(new HistoryEntry(Timestamp, createdBy, comment));
        return this;
    }

    /// <summary>Appends a history entry; <paramref name="emptyLayer"/> is true for steps that add no layer.</summary>
    public ImageBuilder AddHistory(string createdBy, bool emptyLayer = true, string? comment = BuildKitComment)
    {
        Config.AddHistory(new HistoryEntry(Timestamp, createdBy, comment, emptyLayer));
        return this;
    }

    /// <summary>Writes the config (with <c>created</c> = <see cref="Timestamp"/>) and the manifest.</summary>
    /// <exception cref="DockyardException">History and layers disagree (more non-empty history entries than layers).</exception>
    public Image Build(IReadOnlyDictionary<string, string>? annotations = null)
    {
        var nonEmpty = Config.History.Count(h => !h.EmptyLayer);
        if (Config.History.Count > 0 && nonEmpty > _layers.Count)
            throw new DockyardException($"The image has {nonEmpty} history entries with layers but only {_layers.Count} layers; `docker history` would fail. Mark steps without a layer as empty.");
        Config.Created = Timestamp;
        var configBytes = Config.ToJsonBytes();
        var manifest = new ImageManifest
        {
            MediaType = Format.ManifestMediaType(),
            Config = new Descriptor { MediaType = Format.ConfigMediaType(), Digest = Digest.Sha256(configBytes).ToString(), Size = configBytes.Length },
            Layers = _layers.Select(l => l.Descriptor).ToList(),
            Annotations = annotations is { Count: > 0 } ? annotations : null,
        };
        return new Image
        {
            Platform = Config.Platform,
            Format = Format,
            ConfigBytes = configBytes,
            ManifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ImageJson.Options),
            Manifest = manifest,
            Layers = _layers.ToList(),
        };
    }
}
