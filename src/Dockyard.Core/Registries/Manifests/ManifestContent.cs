using System.Text.Json;
using Dockyard.Diagnostics;
using Dockyard.Images;

namespace Dockyard.Registries.Manifests;

/// <summary>
/// A manifest or index exactly as stored in a registry: its bytes, media type and digest. Push these bytes as they
/// are; never re-serialise a fetched manifest (the digest is over the bytes).
/// </summary>
public sealed class ManifestContent
{
    private ManifestContent(string mediaType, byte[] bytes, Digest digest)
    {
        MediaType = mediaType;
        Bytes = bytes;
        Digest = digest;
    }

    /// <summary>The media type (OCI or Docker manifest or index).</summary>
    public string MediaType { get; }

    /// <summary>The exact bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>The sha256 digest of <see cref="Bytes"/>.</summary>
    public Digest Digest { get; }

    /// <summary>Whether this is an index (OCI index or Docker manifest list).</summary>
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>A descriptor for this manifest (for an index entry).</summary>
    public Descriptor ToDescriptor(DescriptorPlatform? platform = null) =>
        new() { MediaType = MediaType, Digest = Digest.ToString(), Size = Bytes.Length, Platform = platform };

    /// <summary>
    /// Wraps bytes; the media type is <paramref name="mediaType"/> (a <c>Content-Type</c>, parameters ignored) or,
    /// when absent or generic, the body's <c>mediaType</c> field.
    /// </summary>
    /// <exception cref="DockyardException">The bytes are not JSON or the type is not a manifest or index type.</exception>
    public static ManifestContent FromBytes(byte[] bytes, string? mediaType, string where)
    {
        var declared = mediaType?.Split(';')[0].Trim();
        string? bodyType = null;
        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw new DockyardException($"The manifest of {where} is not a JSON object.");
            if (json.RootElement.TryGetProperty("schemaVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var version) && version == 1)
                throw new DockyardException($"The manifest of {where} is a Docker schema 1 manifest, which Dockyard does not handle. Push the image again with a current docker/buildah/skopeo (schema 2 or OCI).");
            if (declared is not null && !IsKnown(declared) && declared is not ("application/json" or "text/plain" or "application/octet-stream"))
                throw new DockyardException($"The manifest of {where} has media type '{declared}', which Dockyard does not handle. Expected an OCI or Docker schema 2 manifest or index.");
            if (json.RootElement.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String) bodyType = m.GetString();
            if (bodyType is null && (declared is null || !IsKnown(declared)))
                bodyType = json.RootElement.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        }
        catch (JsonException e)
        {
            throw new DockyardException($"The manifest of {where} is not valid JSON ({e.Message}).", e);
        }
        var type = declared is not null && IsKnown(declared) ? declared : bodyType!;
        if (!IsKnown(type))
            throw new DockyardException($"The manifest of {where} has media type '{type}', which Dockyard does not handle (schema 1 or an artifact?). Expected an OCI or Docker schema 2 manifest or index.");
        return new ManifestContent(type, bytes, Digest.Sha256(bytes));
    }

    /// <summary>Parses the bytes as an image manifest.</summary>
    /// <exception cref="DockyardException">An index, invalid JSON, or an invalid descriptor (digest, size).</exception>
    public ImageManifest ParseManifest() =>
        !IsIndex ? Image.ParseManifest(Bytes, $"Manifest {Digest}") : throw new DockyardException($"Manifest {Digest} is an index, not an image manifest.");

    /// <summary>Parses the bytes as an index.</summary>
    /// <exception cref="DockyardException">An image manifest, invalid JSON, or an invalid entry (digest, size).</exception>
    public ImageIndex ParseIndex() =>
        IsIndex ? MultiPlatformImage.ParseIndex(Bytes, $"Index {Digest}") : throw new DockyardException($"Manifest {Digest} is an image manifest, not an index.");

    /// <summary>The digests this manifest needs present first: config and layers, or the index's manifests.</summary>
    public IReadOnlyList<Descriptor> References()
    {
        if (IsIndex) return ParseIndex().Manifests;
        var manifest = ParseManifest();
        return [manifest.Config, .. manifest.Layers];
    }

    private static bool IsKnown(string type) => MediaTypes.IsIndex(type) || MediaTypes.IsManifest(type);
}
