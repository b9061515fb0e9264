namespace Dockyard.Registries.Transport;

/// <summary>One registry API call, described so that it can be re-sent on retry, re-authentication or redirect.</summary>
internal sealed record RegistryRequest
{
    /// <summary>The canonical registry (<c>docker.io</c>, <c>host:port</c>).</summary>
    public required string Registry { get; init; }

    /// <summary>The HTTP method.</summary>
    public required HttpMethod Method { get; init; }

    /// <summary>The path and query below the registry root (e.g. <c>v2/app/manifests/latest</c>), unless <see cref="Uri"/> is set.</summary>
    public string? Path { get; init; }

    /// <summary>An absolute URL (an upload <c>Location</c>), used instead of <see cref="Path"/>.</summary>
    public Uri? Uri { get; init; }

    /// <summary>The token scopes this call needs.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>Creates a fresh body for each send (null for none).</summary>
    public Func<HttpContent>? Content { get; init; }

    /// <summary>Media types for <c>Accept</c>.</summary>
    public IReadOnlyList<string> Accept { get; init; } = [];

    /// <summary>Bytes this call moves (extends the timeout).</summary>
    public long TransferBytes { get; init; }

    /// <summary>Return as soon as headers arrive (streamed blob downloads).</summary>
    public bool StreamResponse { get; init; }

    /// <summary>The most bytes of a (non-streamed) answer read into memory; larger answers are refused (see <see cref="ResponseLimits"/>).</summary>
    public int MaxResponseBytes { get; init; } = ResponseLimits.Manifest;

    /// <summary>What the call does, for messages (e.g. "Pushing manifest 127.0.0.1:5000/app:1").</summary>
    public required string What { get; init; }
}
