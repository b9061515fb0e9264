namespace Dockyard.Registries.Inspection;

/// <summary>What <c>dockyard image inspect</c> shows about a reference.</summary>
/// <param name="Reference">The normalised reference.</param>
/// <param name="Digest">The digest of the manifest or index the reference resolves to.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="IsIndex">Whether it is an index (several platforms).</param>
/// <param name="Manifests">One entry per image manifest (one for a plain image).</param>
public sealed record ImageInspection(string Reference, string Digest, string MediaType, bool IsIndex, IReadOnlyList<ManifestInspection> Manifests)
{
    /// <summary>When registries.conf redirected the read: the reference that served it (<c>null</c> otherwise).</summary>
    public string? PulledFrom { get; init; }
}

/// <summary>One image manifest.</summary>
/// <param name="Digest">Manifest digest.</param>
/// <param name="MediaType">Manifest media type.</param>
/// <param name="Platform">The platform (<c>os/arch[/variant]</c>), from the index entry or the config.</param>
/// <param name="Config">The image config.</param>
/// <param name="Layers">The layers, base first.</param>
/// <param name="Size">Config plus layer bytes (compressed).</param>
public sealed record ManifestInspection(string Digest, string MediaType, string? Platform, ConfigInspection Config, IReadOnlyList<LayerInspection> Layers, long Size);

/// <summary>A layer descriptor.</summary>
/// <param name="Digest">Digest of the stored (compressed) blob.</param>
/// <param name="MediaType">Layer media type.</param>
/// <param name="Size">Stored size.</param>
public sealed record LayerInspection(string Digest, string MediaType, long Size);

/// <summary>The parts of an image config people look at.</summary>
/// <param name="Digest">Config digest (the image ID).</param>
/// <param name="MediaType">Config media type.</param>
/// <param name="Os">OS.</param>
/// <param name="Architecture">Architecture.</param>
/// <param name="Variant">CPU variant.</param>
/// <param name="Created">Creation time as written.</param>
/// <param name="User">User.</param>
/// <param name="WorkingDir">Working directory.</param>
/// <param name="Entrypoint">Entrypoint.</param>
/// <param name="Cmd">Command.</param>
/// <param name="Env">Environment.</param>
/// <param name="ExposedPorts">Exposed ports.</param>
/// <param name="Labels">Labels.</param>
/// <param name="DiffIds">Uncompressed layer digests.</param>
/// <param name="History">History steps (<c>created_by</c>).</param>
public sealed record ConfigInspection(
    string Digest, string MediaType, string? Os, string? Architecture, string? Variant, string? Created, string? User, string? WorkingDir,
    IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd, IReadOnlyList<string>? Env, IReadOnlyList<string>? ExposedPorts,
    IReadOnlyDictionary<string, string>? Labels, IReadOnlyList<string> DiffIds, IReadOnlyList<string> History);
