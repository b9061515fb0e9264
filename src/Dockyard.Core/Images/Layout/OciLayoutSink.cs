using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;
using Dockyard.FileSystem;
using Dockyard.Images.Transfer;
using Dockyard.Registries.Transport;

namespace Dockyard.Images.Layout;

/// <summary>
/// Writes an OCI image layout directory (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/…</c>): blobs are
/// copied once and verified, and each tag becomes an <c>index.json</c> entry annotated
/// <c>org.opencontainers.image.ref.name</c>, replacing an entry with the same tag and keeping the others
/// (<c>index.json</c> replaced atomically). Readable by <c>skopeo … oci:DIR:TAG</c>.
/// </summary>
public sealed class OciLayoutSink(string directory, IReadOnlyList<string> tags, string? name = null) : IImageSink
{
    /// <summary>The annotation that names a tag in <c>index.json</c>.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <inheritdoc />
    public string Name { get; } = name ?? $"oci:{directory}" + (tags.Count == 0 ? "" : ":" + tags[0]);

    /// <inheritdoc />
    public async Task<ImageWriteResult> WriteAsync(ImageContent content, CancellationToken cancellationToken)
    {
        content = ToOci(content);
        var blobDir = Path.Combine(directory, "blobs", "sha256");
        // Everything that can refuse the destination is checked before the first blob is written.
        var old = ExistingEntries(directory, Name);
        try
        {
            Directory.CreateDirectory(blobDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"{Name}: cannot write the OCI layout '{directory}': {e.Message} Choose a writable destination.", e);
        }
        int written = 0, existing = 0;
        long bytes = 0;
        foreach (var blob in Blobs(content))
        {
            var digest = blob.Descriptor.Validate(Name);
            if (digest.Algorithm != "sha256") throw new DockyardException($"{Name}: blob {digest} is not sha256; OCI layouts written by Dockyard hold sha256 blobs only.");
            if (await BlobWriter.WriteAsync(Path.Combine(blobDir, digest.Hex), blob.Descriptor, blob.Source, Name, cancellationToken))
            {
                written++;
                bytes += blob.Descriptor.Size;
            }
            else existing++;
        }
        var indexPath = Path.Combine(directory, "index.json");
        var indexJson = IndexJson(content.Descriptor, tags, old);
        BlobWriter.WriteFileAtomically(Path.Combine(directory, "oci-layout"), temp => File.WriteAllBytes(temp, LayoutJson.OciLayoutFile), Name);
        BlobWriter.WriteFileAtomically(indexPath, temp => File.WriteAllBytes(temp, indexJson), Name);
        return new ImageWriteResult(content.Digest, tags, content.Images.Count + (content is MultiPlatformImage m ? 1 + m.Others.Count : 0), written, 0, existing, bytes);
    }

    /// <summary>
    /// Checks a layout destination and reads the entries of its existing <c>index.json</c> (<c>null</c> when there is
    /// none): the directory must be a directory (or missing), <c>index.json</c> a regular file holding a JSON object
    /// whose <c>manifests</c> is an array of objects. Anything else is refused, so no blob lands in a damaged layout.
    /// </summary>
    /// <exception cref="DockyardException">The destination is not a directory, or its <c>index.json</c> is invalid.</exception>
    internal static IReadOnlyList<JsonNode>? ExistingEntries(string directory, string where)
    {
        var kind = FileKindProbe.Of(Path.GetFullPath(directory));
        if (kind is not (FileKind.Missing or FileKind.Directory or FileKind.SymbolicLink) || (kind == FileKind.SymbolicLink && !Directory.Exists(directory)))
            throw new DockyardException($"{where}: '{directory}' is a file, not a directory; choose a directory for the layout.") { Setting = Setting.Output };
        var indexPath = Path.Combine(directory, "index.json");
        BlobWriter.RefuseNonRegular(indexPath, where);
        if (!File.Exists(indexPath)) return null;
        JsonNode? index;
        try
        {
            var info = new FileInfo(indexPath);
            if (info.Length > ResponseLimits.Manifest)
                throw new DockyardException($"{where}: the existing '{indexPath}' is {info.Length} bytes, over the {ResponseLimits.Manifest / (1024 * 1024)} MiB an index may have; remove it or choose another directory.");
            index = JsonNode.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException e)
        {
            throw new DockyardException($"{where}: the existing '{indexPath}' is not valid JSON ({e.Message}); remove it or choose another directory.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"{where}: cannot read the existing '{indexPath}': {e.Message}", e);
        }
        if (index is not JsonObject { } root || root["manifests"] is not JsonArray entries || entries.Any(e => e is not JsonObject))
            throw new DockyardException($"{where}: the existing '{indexPath}' is not an OCI image index (it needs \"manifests\": an array of descriptors); remove it or choose another directory.");
        return entries.Select(e => e!).ToList();
    }

    /// <summary>
    /// Docker-typed content with OCI media types: an OCI layout lists OCI manifests and indexes only (skopeo and
    /// containerd skip other entries), so Docker images are converted like <c>skopeo copy</c> does (new manifest
    /// digests; config bytes and layer blobs unchanged). OCI content is kept byte-exact.
    /// </summary>
    internal static ImageContent ToOci(ImageContent content) => content switch
    {
        Image { Format: ImageFormat.Docker } image => image.ToOci(),
        MultiPlatformImage { Format: ImageFormat.Docker } index => MultiPlatformImage.Create(index.Images.Select(i => i.ToOci()).ToList()),
        _ => content,
    };

    /// <summary>Every distinct blob of an image or index, layers first, manifests and index last.</summary>
    internal static IReadOnlyList<BlobReference> Blobs(ImageContent content)
    {
        var blobs = new List<BlobReference>();
        foreach (var image in content.Images)
        {
            blobs.AddRange(image.Layers.Select(l => new BlobReference(l.Descriptor, l.Blob)));
            blobs.Add(new BlobReference(image.Manifest.Config, new BytesBlobSource(image.ConfigBytes)));
            blobs.Add(new BlobReference(image.Descriptor, new BytesBlobSource(image.ManifestBytes)));
        }
        if (content is MultiPlatformImage index)
        {
            foreach (var other in index.Others)
            {
                blobs.AddRange(other.Blobs);
                blobs.Add(new BlobReference(other.Entry with { Platform = null, Annotations = null }, new BytesBlobSource(other.Bytes)));
            }
            blobs.Add(new BlobReference(index.Descriptor, new BytesBlobSource(index.IndexBytes)));
        }
        return blobs.DistinctBy(b => b.Descriptor.Digest).ToList();
    }

    /// <summary>The <c>index.json</c> bytes listing <paramref name="top"/> once per tag (and <paramref name="existing"/> entries kept).</summary>
    internal static byte[] IndexJson(Descriptor top, IReadOnlyList<string> tags, IEnumerable<JsonNode>? existing = null)
    {
        var manifests = new JsonArray();
        foreach (var entry in existing ?? [])
        {
            var name = entry["annotations"]?[RefNameAnnotation]?.GetValue<string>();
            if (name is not null && tags.Contains(name)) continue;
            if (name is null && entry["digest"]?.GetValue<string>() == top.Digest) continue;
            manifests.Add(entry.DeepClone());
        }
        foreach (var tag in tags.Count == 0 ? [null] : tags.Select(t => (string?)t))
        {
            var descriptor = tag is null ? top : top with { Annotations = new Dictionary<string, string> { [RefNameAnnotation] = tag } };
            manifests.Add(JsonSerializer.SerializeToNode(descriptor, ImageJson.Options));
        }
        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = manifests };
        return JsonSerializer.SerializeToUtf8Bytes(index, ImageJson.Options);
    }
}
