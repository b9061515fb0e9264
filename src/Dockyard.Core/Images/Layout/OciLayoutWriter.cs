using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;

namespace Dockyard.Images.Layout;

/// <summary>
/// Writes an OCI image layout directory (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/…</c>): blobs are
/// copied once and verified, and each tag becomes an <c>index.json</c> entry annotated
/// <c>org.opencontainers.image.ref.name</c>, replacing an entry with the same tag and keeping the others.
/// Readable by <c>skopeo … oci:DIR:TAG</c>.
/// </summary>
public static class OciLayoutWriter
{
    /// <summary>The annotation that names a tag in <c>index.json</c>.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>Writes one image under each of <paramref name="tags"/> (no tag: one untagged entry).</summary>
    public static void Write(string directory, BuiltImage image, IReadOnlyList<string> tags) =>
        Write(directory, BlobFile.Distinct([image]), image.ManifestDescriptor with { Platform = null }, tags);

    /// <summary>Writes a multi-platform index under each of <paramref name="tags"/>.</summary>
    public static void Write(string directory, BuiltIndex index, IReadOnlyList<string> tags) =>
        Write(directory, BlobFile.Distinct(index.Images, BlobFile.FromBytes(index.IndexBytes)), index.Descriptor, tags);

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

    private static void Write(string directory, IReadOnlyList<BlobFile> blobs, Descriptor top, IReadOnlyList<string> tags)
    {
        var blobDir = Path.Combine(directory, "blobs", "sha256");
        try
        {
            Directory.CreateDirectory(blobDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"Cannot write the OCI layout '{directory}': {e.Message} Choose a writable destination.", e);
        }
        foreach (var blob in blobs) blob.CopyTo(Path.Combine(blobDir, blob.Digest.Hex));
        var indexPath = Path.Combine(directory, "index.json");
        IEnumerable<JsonNode>? existing = null;
        if (File.Exists(indexPath) && JsonNode.Parse(File.ReadAllBytes(indexPath))?["manifests"] is JsonArray old)
            existing = old.Where(n => n is not null).Select(n => n!);
        File.WriteAllBytes(Path.Combine(directory, "oci-layout"), LayoutJson.OciLayoutFile);
        File.WriteAllBytes(indexPath, IndexJson(top, tags, existing));
    }
}
