using System.Text.Json.Serialization;
using Dockyard.Diagnostics;

namespace Dockyard.Images;

/// <summary>An OCI content descriptor: what a manifest or index says about one blob or manifest.</summary>
public sealed record Descriptor
{
    /// <summary>The media type of the referenced content.</summary>
    [JsonPropertyName("mediaType")] public required string MediaType { get; init; }

    /// <summary>The digest of the referenced bytes, as stored (compressed for layers).</summary>
    [JsonPropertyName("digest")] public required string Digest { get; init; }

    /// <summary>The size in bytes of the referenced content.</summary>
    [JsonPropertyName("size")] public required long Size { get; init; }

    /// <summary>The platform, for entries of an index.</summary>
    [JsonPropertyName("platform")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DescriptorPlatform? Platform { get; init; }

    /// <summary>Annotations, if any.</summary>
    [JsonPropertyName("annotations")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Artifact type (OCI 1.1), if any.</summary>
    [JsonPropertyName("artifactType")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    /// <summary>Alternative download locations (foreign layers).</summary>
    [JsonPropertyName("urls")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Urls { get; init; }

    /// <summary>
    /// Checks the descriptor before any use: a media type, a sha256 (64 hex) or sha512 (128 hex) digest, and a
    /// size that is not negative. Returns the parsed digest.
    /// </summary>
    /// <param name="where">What holds the descriptor, for the message (e.g. <c>oci:/tmp/app: layer 2</c>).</param>
    /// <exception cref="DockyardException">The descriptor is invalid.</exception>
    public Digest Validate(string where)
    {
        if (string.IsNullOrEmpty(MediaType))
            throw new DockyardException($"{where}: the descriptor has no mediaType; the manifest is damaged.");
        if (!Images.Digest.TryParse(Digest, out var digest) || digest.Algorithm is not ("sha256" or "sha512"))
            throw new DockyardException($"{where}: '{Digest}' is not a valid digest (expected sha256: and 64 lower-case hex characters, or sha512: and 128); refusing the manifest.");
        if (Size < 0)
            throw new DockyardException($"{where}: the descriptor of {Digest} has a negative size ({Size}); refusing the manifest.");
        return digest;
    }
}

/// <summary>The platform object of an index entry (JSON field names of the OCI image-spec).</summary>
public sealed record DescriptorPlatform
{
    /// <summary>GOARCH value.</summary>
    [JsonPropertyName("architecture")] public required string Architecture { get; init; }

    /// <summary>GOOS value.</summary>
    [JsonPropertyName("os")] public required string Os { get; init; }

    /// <summary>OS version (Windows).</summary>
    [JsonPropertyName("os.version")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; init; }

    /// <summary>CPU variant.</summary>
    [JsonPropertyName("variant")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    /// <summary>The same platform as a <see cref="Images.Platform"/>.</summary>
    public Platform ToPlatform() => new(Os, Architecture, Variant);
}
