using System.Text.Json.Serialization;

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
