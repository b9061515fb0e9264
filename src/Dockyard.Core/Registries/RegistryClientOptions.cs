using Dockyard.Registries.Mirrors;
using Dockyard.Registries.Transfer;

namespace Dockyard.Registries;

/// <summary>How a <see cref="RegistryClient"/> connects, retries and transfers.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>ECR's minimum size of a non-final upload chunk, applied to every chunked upload.</summary>
    public const long MinimumChunkSize = 5 * 1024 * 1024;

    /// <summary>The environment variable of the .NET SDK listing registries that may use plain HTTP or unverified TLS.</summary>
    public const string InsecureRegistriesVariable = "DOTNET_CONTAINER_INSECURE_REGISTRIES";

    /// <summary>
    /// Registries (<c>host[:port]</c>) that may be reached over plain HTTP or with an unverified certificate, like docker's
    /// <c>insecure-registries</c>. Loopback registries may always fall back to plain HTTP (their TLS is still verified).
    /// </summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// Registry remaps and mirrors (containers-registries.conf(5), load with <see cref="RegistriesConfLoader"/>) applied
    /// by <see cref="RegistryClient.GetPullManifestAsync"/> and <see cref="RegistryClient.ResolvePullAsync"/>, never to
    /// pushes. Its <c>insecure</c> locations and mirrors join <see cref="InsecureRegistries"/>. <c>null</c>: none.
    /// </summary>
    public RegistriesConf? RegistriesConf { get; init; }

    /// <summary>Directories laid out like docker's <c>certs.d</c>: <c>&lt;dir&gt;/&lt;host[:port]&gt;/*.crt</c> are extra CAs for that registry.</summary>
    public IReadOnlyList<string> CertificateDirectories { get; init; } = DefaultCertificateDirectories(null);

    /// <summary>How many blobs move at the same time.</summary>
    public int MaxParallelTransfers { get; init; } = 4;

    /// <summary>Upload blobs larger than this in chunks of this size (raised to <see cref="MinimumChunkSize"/>); <c>null</c> uploads in one PUT.</summary>
    public long? ChunkSize { get; init; }

    /// <summary>How often one chunked upload may continue from the registry's offset after a refused or failed PATCH.</summary>
    public int MaxUploadResumes { get; init; } = 5;

    /// <summary>How often a failed request (connection reset, timeout, 5xx, 429) is retried.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>
    /// How long one request (or blob upload) keeps being retried: no new attempt starts once this much time has passed
    /// since the first, so a registry that never answers costs at most this plus one request timeout.
    /// </summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The largest <see cref="MaxParallelTransfers"/> accepted.</summary>
    public const int MaxParallelLimit = 64;

    /// <summary>The largest <see cref="ChunkSize"/> accepted: a chunk is held in memory, once per parallel transfer.</summary>
    public const long MaximumChunkSize = 256L * 1024 * 1024;

    /// <summary>The first retry delay; later ones back off exponentially (a <c>Retry-After</c> header wins).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The timeout of a request without a body to move; requests that move a blob get more (see <see cref="MinimumThroughput"/>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The slowest transfer rate (bytes per second) tolerated before a blob request times out.</summary>
    public long MinimumThroughput { get; init; } = 128 * 1024;

    /// <summary>Where transfer progress goes (blob started, bytes moved, mounted, skipped, retried).</summary>
    public IProgress<TransferProgress>? Progress { get; init; }

    /// <summary>The clock (token expiry).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The <c>User-Agent</c> sent to registries.</summary>
    public string UserAgent { get; init; } = "dockyard/0.1";

    /// <summary>
    /// The options with <see cref="InsecureRegistries"/> extended by the comma-separated list in
    /// <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c> of <paramref name="environment"/>.
    /// </summary>
    public RegistryClientOptions WithEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        if (!environment.TryGetValue(InsecureRegistriesVariable, out var list) || string.IsNullOrWhiteSpace(list)) return this;
        var extra = list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return this with { InsecureRegistries = InsecureRegistries.Concat(extra).Distinct(StringComparer.OrdinalIgnoreCase).ToArray() };
    }

    /// <summary><c>/etc/docker/certs.d</c> and, with a home directory, <c>HOME/.docker/certs.d</c>.</summary>
    public static IReadOnlyList<string> DefaultCertificateDirectories(string? homeDirectory) =>
        string.IsNullOrEmpty(homeDirectory) ? ["/etc/docker/certs.d"] : ["/etc/docker/certs.d", Path.Combine(homeDirectory, ".docker", "certs.d")];

    /// <summary>Refuses values no transfer can run with (zero or negative counts, a chunk size no memory holds).</summary>
    /// <exception cref="Diagnostics.DockyardException">A value is out of range; the message names it and the accepted range.</exception>
    public void Validate()
    {
        if (MaxParallelTransfers is < 1 or > MaxParallelLimit)
            throw new Diagnostics.DockyardException($"The number of parallel transfers (--parallel) must be 1 to {MaxParallelLimit}, not {MaxParallelTransfers}.");
        if (ChunkSize is { } chunk && (chunk < 1 || chunk > MaximumChunkSize))
            throw new Diagnostics.DockyardException($"The chunk size (--chunk-size) must be 1 to {MaximumChunkSize} bytes (256 MiB; chunks below 5 MiB are raised to 5 MiB), not {chunk}. Leave it out to upload each blob in one request.");
        if (MaxRetries < 0) throw new Diagnostics.DockyardException($"The number of retries must be 0 or more, not {MaxRetries}.");
        if (RequestTimeout <= TimeSpan.Zero) throw new Diagnostics.DockyardException($"The request timeout must be positive, not {RequestTimeout}.");
    }

    /// <summary>The effective chunk size for a blob, or <c>null</c> for a monolithic upload.</summary>
    internal long? ChunkSizeFor(long blobSize, long? registryMinimum)
    {
        if (ChunkSize is not { } requested || blobSize <= requested) return null;
        return Math.Max(requested, Math.Max(MinimumChunkSize, registryMinimum ?? 0));
    }

    /// <summary>The timeout of one request that moves <paramref name="bytes"/> bytes.</summary>
    internal TimeSpan TimeoutFor(long bytes) =>
        RequestTimeout + TimeSpan.FromSeconds((double)Math.Max(0, bytes) / Math.Max(1, MinimumThroughput));
}
