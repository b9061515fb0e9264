using System.Text.Json.Serialization;

namespace Dockyard.Images;

/// <summary>
/// An image manifest (OCI or Docker schema 2). Parse it from the exact bytes fetched and never re-serialise a
/// fetched manifest: its digest is the digest of those bytes.
/// </summary>
public sealed record ImageManifest
{
    /// <summary>Always 2.</summary>
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;

    /// <summary>The manifest media type (OCI or Docker).</summary>
    [JsonPropertyName("mediaType")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    /// <summary>Artifact type (OCI 1.1), if any.</summary>
    [JsonPropertyName("artifactType")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    /// <summary>The image config blob.</summary>
    [JsonPropertyName("config")] public required Descriptor Config { get; init; }

    /// <summary>The layers, base first.</summary>
    [JsonPropertyName("layers")] public required IReadOnlyList<Descriptor> Layers { get; init; }

    /// <summary>The manifest this one refers to (OCI 1.1), if any.</summary>
    [JsonPropertyName("subject")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Descriptor? Subject { get; init; }

    /// <summary>Annotations, if any.</summary>
    [JsonPropertyName("annotations")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
