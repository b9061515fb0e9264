using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Images;
using Dockyard.Layers;
using Dockyard.Registries.Manifests;

namespace Dockyard.Registries.Cache;

/// <summary>
/// The registry form of a layer cache: an OCI image manifest whose config (media type <see cref="MediaType"/>) maps
/// each layer's diff_id to its blob, and whose layers are those blobs, so the registry keeps them (garbage collection
/// follows the manifest) and a push to the same registry can mount them.
/// </summary>
internal static class LayerCacheArtifact
{
    /// <summary>The config's media type and the manifest's <c>artifactType</c>.</summary>
    public const string MediaType = "application/vnd.dockyard.layer-cache.v1+json";

    /// <summary>The largest config read (a map of a few hundred entries is ~100 KiB).</summary>
    public const long MaxConfigSize = 4L << 20;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>One layer of the map: its diff_id and its blob's descriptor (OCI media type).</summary>
    public sealed record Entry(Digest DiffId, Descriptor Blob)
    {
        /// <summary>The blob's compression.</summary>
        public LayerCompression Compression => ImageFormats.CompressionOf(Blob.MediaType);
    }

    /// <summary>The manifest and config of an artifact holding <paramref name="entries"/>.</summary>
    public static (ManifestContent Manifest, byte[] Config) Create(IReadOnlyList<Entry> entries)
    {
        var config = JsonSerializer.SerializeToUtf8Bytes(new Config(1, entries.Select(e => new ConfigEntry(e.DiffId.ToString(), e.Blob.Digest, e.Blob.Size, e.Blob.MediaType)).ToList()), Json);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = MediaType,
            Config = new Descriptor { MediaType = MediaType, Digest = Digest.Sha256(config).ToString(), Size = config.Length },
            Layers = entries.Select(e => e.Blob).ToList(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
        return (ManifestContent.FromBytes(bytes, MediaTypes.OciManifest, "layer cache"), config);
    }

    /// <summary>Whether <paramref name="manifest"/> is a layer cache (rather than an image).</summary>
    public static bool Is(ImageManifest manifest) => manifest.Config.MediaType == MediaType;

    /// <summary>
    /// The entries of a cache's config, read as hostile input: entries that do not parse, name a media type that is
    /// not a tar layer, or whose blob the manifest does not list (the registry would not keep it) are dropped.
    /// </summary>
    public static IReadOnlyList<Entry> Parse(byte[] config, ImageManifest manifest)
    {
        Config? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<Config>(config, Json);
        }
        catch (JsonException)
        {
            return [];
        }
        var listed = manifest.Layers.GroupBy(l => l.Digest, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var entries = new List<Entry>();
        foreach (var e in parsed?.Layers ?? [])
        {
            if (e is null || !Digest.TryParse(e.DiffId, out var diffId) || !Digest.TryParse(e.Digest, out _) || e.Size < 0 || e.MediaType is null) continue;
            // The manifest's descriptor is the one the registry checked: an entry that disagrees with it is dropped.
            if (!listed.TryGetValue(e.Digest!, out var blob) || blob.Size != e.Size || blob.MediaType != e.MediaType || !IsTarLayer(blob.MediaType)) continue;
            entries.Add(new Entry(diffId, new Descriptor { MediaType = blob.MediaType, Digest = blob.Digest, Size = blob.Size }));
        }
        return entries;
    }

    /// <summary>The (diff_id, blob) pairs of an image: its config's <c>rootfs.diff_ids</c> beside its manifest's layers.</summary>
    public static IReadOnlyList<Entry> FromImage(ImageManifest manifest, byte[] config, string where)
    {
        IReadOnlyList<Digest> diffIds;
        try
        {
            diffIds = ImageConfig.Parse(config, where).DiffIds;
        }
        catch (Exception e) when (e is Diagnostics.DockyardException or FormatException or InvalidOperationException)
        {
            return [];
        }
        if (diffIds.Count != manifest.Layers.Count) return [];
        return manifest.Layers.Zip(diffIds)
            .Where(pair => pair.First.Urls is not { Count: > 0 } && IsTarLayer(pair.First.MediaType))
            .Select(pair => new Entry(pair.Second, ImageFormats.ConvertLayer(pair.First, ImageFormat.Oci) with { Annotations = null, Platform = null }))
            .ToList();
    }

    private static bool IsTarLayer(string mediaType)
    {
        try
        {
            ImageFormats.CompressionOf(mediaType);
            return true;
        }
        catch (Diagnostics.DockyardException)
        {
            return false;
        }
    }

    private sealed record Config(
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("layers")] IReadOnlyList<ConfigEntry?>? Layers);

    private sealed record ConfigEntry(
        [property: JsonPropertyName("diffId")] string? DiffId,
        [property: JsonPropertyName("digest")] string? Digest,
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("mediaType")] string? MediaType);
}
