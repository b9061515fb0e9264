using Dockyard.Credentials;
using Dockyard.Credentials.Explanation;
using Dockyard.Diagnostics;
using Dockyard.Hosting;

namespace Dockyard.UseCases;

/// <summary>Which registry and direction to explain (<c>dockyard auth explain</c>, Cake's <c>DockyardExplainCredentials</c>).</summary>
public sealed record CredentialExplainRequest
{
    /// <summary>The registry (<c>host[:port]</c>, any spelling; <c>docker.io</c> for Docker Hub).</summary>
    public required string Registry { get; init; }

    /// <summary>Whether the question is for a pull (default) or a push.</summary>
    public RegistryAccess Access { get; init; } = RegistryAccess.Pull;

    /// <summary>Sources of the chain to leave out.</summary>
    public IReadOnlySet<CredentialSourceKind> Disabled { get; init; } = new HashSet<CredentialSourceKind>();

    /// <summary>How long a credential helper may run (default <see cref="CredentialChainOptions.DefaultHelperTimeout"/>).</summary>
    public TimeSpan? HelperTimeout { get; init; }

    /// <summary>A docker config directory read instead of <c>$DOCKER_CONFIG</c> (relative to the host's working directory).</summary>
    public string? DockerConfigDirectory { get; init; }

    /// <summary>A podman auth file read instead of <c>$REGISTRY_AUTH_FILE</c> (relative to the host's working directory).</summary>
    public string? PodmanAuthFile { get; init; }
}

/// <summary>
/// Says which source of the credential chain answers for a registry and direction and why the earlier ones did not,
/// never the secret. The host's <see cref="HostContext.Credentials"/> are the chain's explicit step.
/// </summary>
public static class CredentialExplain
{
    /// <summary>Runs the chain for <see cref="CredentialExplainRequest.Registry"/>; a broken source is reported in <see cref="CredentialExplanation.Error"/>, not thrown (the front shows it as an error).</summary>
    /// <exception cref="DockyardException">The request itself is unusable (a helper timeout out of range).</exception>
    public static async Task<CredentialExplanation> RunAsync(HostContext host, CredentialExplainRequest request, CancellationToken cancellationToken = default)
    {
        var environment = host.CredentialEnvironment;
        if (request.DockerConfigDirectory is { } config) environment = environment.With("DOCKER_CONFIG", host.FullPath(config));
        if (request.PodmanAuthFile is { } authFile) environment = environment.With("REGISTRY_AUTH_FILE", host.FullPath(authFile));
        var options = new CredentialChainOptions
        {
            Explicit = host.Credentials.All.ToList(),
            Disabled = request.Disabled.ToHashSet(),
            HelperTimeout = request.HelperTimeout is { } timeout ? CredentialChainOptions.CheckHelperTimeout(timeout) : CredentialChainOptions.DefaultHelperTimeout,
            Masker = host.Masker,
        };
        return await new CredentialChain(options, environment).ExplainAsync(request.Registry, request.Access, cancellationToken).ConfigureAwait(false);
    }
}
