using System.Text.Json;
using Dockyard.Diagnostics;

namespace Dockyard.Images.Layout;

/// <summary>
/// Reads an image from an OCI image layout directory to use as a base (<c>FROM oci:DIR[:TAG]</c>): picks the
/// <c>index.json</c> entry by tag (<c>org.opencontainers.image.ref.name</c>) or the only entry, descends into an index
/// by platform, and verifies manifest and config digests. Layer blobs are read from the layout when needed.
/// </summary>
public sealed class OciLayoutReader : IBlobStore
{
    private readonly string _directory;

    private OciLayoutReader(string directory) => _directory = directory;

    /// <summary>Reads the image tagged <paramref name="tag"/> (or the only one) for <paramref name="platform"/> (default: this machine's).</summary>
    /// <exception cref="DockyardException">Not a layout, unknown tag, no manifest for the platform, or a damaged blob.</exception>
    public static SourceImage Read(string directory, string? tag = null, Platform? platform = null)
    {
        var full = Path.GetFullPath(directory);
        var name = $"oci:{directory}" + (tag is null ? "" : ":" + tag);
        if (!File.Exists(Path.Combine(full, "oci-layout")) || !File.Exists(Path.Combine(full, "index.json")))
            throw new DockyardException($"{name}: '{directory}' is not an OCI image layout (no oci-layout or index.json file).");
        var reader = new OciLayoutReader(full);
        var index = reader.ParseIndex(File.ReadAllBytes(Path.Combine(full, "index.json")), name);
        var entries = index.Manifests;
        Descriptor top;
        if (tag is not null)
        {
            top = entries.FirstOrDefault(e => e.Annotations?.GetValueOrDefault(OciLayoutWriter.RefNameAnnotation) == tag)
                ?? throw new DockyardException($"{name}: no image is tagged '{tag}'; tags in the layout: {TagList(entries)}.");
        }
        else if (entries.Count == 1)
        {
            top = entries[0];
        }
        else
        {
            throw new DockyardException($"{name}: the layout holds {entries.Count} images; name one with oci:{directory}:TAG (tags: {TagList(entries)}).");
        }

        var wanted = platform ?? Platform.Current;
        if (MediaTypes.IsIndex(top.MediaType))
        {
            var nested = reader.ParseIndex(reader.ReadVerified(top, name), name);
            top = nested.Manifests.FirstOrDefault(m => m.Platform is { } p && Matches(p.ToPlatform(), wanted))
                ?? throw new DockyardException($"{name}: the index has no image for {wanted}; it has {string.Join(", ", nested.Manifests.Select(m => m.Platform?.ToPlatform().ToString() ?? "?"))}. Pass one of those platforms.");
        }
        if (!MediaTypes.IsManifest(top.MediaType))
            throw new DockyardException($"{name}: entry {top.Digest} has media type '{top.MediaType}', not an image manifest.");

        ImageManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ImageManifest>(reader.ReadVerified(top, name)) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new DockyardException($"{name}: manifest {top.Digest} is not a valid image manifest ({e.Message}).", e);
        }
        var config = ImageConfig.Parse(reader.ReadVerified(manifest.Config, name), $"{name}: config {manifest.Config.Digest}");
        var diffIds = config.DiffIds;
        if (diffIds.Count != manifest.Layers.Count)
            throw new DockyardException($"{name}: the manifest lists {manifest.Layers.Count} layers but the config {diffIds.Count} diff_ids; the image is damaged.");
        var format = ImageFormats.FromMediaType(manifest.MediaType ?? top.MediaType) ?? ImageFormat.Oci;
        return new SourceImage
        {
            Name = name,
            Format = format,
            Config = config,
            Layers = manifest.Layers.Select((l, i) => new ImageLayer(l, diffIds[i], reader)).ToList(),
            ManifestDescriptor = top with { Platform = null, Annotations = null },
        };
    }

    /// <inheritdoc />
    public Stream OpenBlob(Descriptor descriptor)
    {
        var path = BlobPath(descriptor);
        if (!File.Exists(path))
            throw new DockyardException($"oci:{_directory}: blob {descriptor.Digest} is missing from blobs/; copy the layout again.");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
    }

    private string BlobPath(Descriptor descriptor)
    {
        if (!Digest.TryParse(descriptor.Digest, out var digest))
            throw new DockyardException($"oci:{_directory}: '{descriptor.Digest}' is not a valid digest; the layout is damaged.");
        return Path.Combine(_directory, "blobs", digest.Algorithm, digest.Hex);
    }

    private byte[] ReadVerified(Descriptor descriptor, string name)
    {
        var path = BlobPath(descriptor);
        if (!File.Exists(path))
            throw new DockyardException($"{name}: blob {descriptor.Digest} is missing from blobs/; copy the layout again.");
        var bytes = File.ReadAllBytes(path);
        if (!Digest.Parse(descriptor.Digest).Matches(bytes))
            throw new DockyardException($"{name}: blob {descriptor.Digest} does not match its digest; the layout is damaged.");
        return bytes;
    }

    private ImageIndex ParseIndex(byte[] bytes, string name)
    {
        try
        {
            return JsonSerializer.Deserialize<ImageIndex>(bytes) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new DockyardException($"{name}: an image index in the layout is not valid ({e.Message}).", e);
        }
    }

    private static bool Matches(Platform candidate, Platform wanted) =>
        candidate.Os == wanted.Os && candidate.Architecture == wanted.Architecture && (wanted.Variant is null || candidate.Variant == wanted.Variant);

    private static string TagList(IEnumerable<Descriptor> entries)
    {
        var tags = entries.Select(e => e.Annotations?.GetValueOrDefault(OciLayoutWriter.RefNameAnnotation)).OfType<string>().ToList();
        return tags.Count == 0 ? "none" : string.Join(", ", tags);
    }
}
