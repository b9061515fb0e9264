using Dockyard.Credentials;

namespace Dockyard.Images.Locations;

/// <summary>How to reach registries, as a request states it (the fronts' <c>--insecure-registry</c>, <c>--cert-dir</c>, credentials).</summary>
public sealed record RegistryConnection
{
    /// <summary>Registries (<c>host[:port]</c>) that may use plain HTTP or an unverified certificate (besides <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c>).</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>certs.d-style directories with extra CAs; empty: <c>/etc/docker/certs.d</c> and <c>~/.docker/certs.d</c>.</summary>
    public IReadOnlyList<string> CertificateDirectories { get; init; } = [];

    /// <summary>Explicit credentials, tried before the rest of the credential chain.</summary>
    public IReadOnlyList<ExplicitCredential> Credentials { get; init; } = [];

    /// <summary>Upload blobs larger than this in chunks (null: monolithic).</summary>
    public long? ChunkSize { get; init; }

    /// <summary>How many blobs to transfer at once (null: 4).</summary>
    public int? MaxParallelTransfers { get; init; }
}
