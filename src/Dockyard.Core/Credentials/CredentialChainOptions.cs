using Dockyard.Credentials.Masking;

namespace Dockyard.Credentials;

/// <summary>How a <see cref="CredentialChain"/> looks for credentials.</summary>
public sealed class CredentialChainOptions
{
    /// <summary>The default time a credential helper may take before it is stopped.</summary>
    public static readonly TimeSpan DefaultHelperTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Credentials given to the front; the first one for the registry (or for every registry) wins.</summary>
    public IList<ExplicitCredential> Explicit { get; init; } = new List<ExplicitCredential>();

    /// <summary>Steps of the chain that are turned off.</summary>
    public ISet<CredentialSourceKind> Disabled { get; init; } = new HashSet<CredentialSourceKind>();

    /// <summary>
    /// The registry the output image goes to. When pulling from it, the SDK's generic
    /// <c>DOTNET_CONTAINER_REGISTRY_*</c> variables apply too (the SDK's "pull from output registry" mode).
    /// </summary>
    public string? OutputRegistry { get; init; }

    /// <summary>How long a credential helper may run before it is stopped and reported.</summary>
    public TimeSpan HelperTimeout { get; init; } = DefaultHelperTimeout;

    /// <summary>When set, every secret the chain hands out is registered here so fronts can mask their output.</summary>
    public SecretMasker? Masker { get; init; }

    /// <summary>Whether a step is turned on.</summary>
    public bool IsEnabled(CredentialSourceKind kind) => !Disabled.Contains(kind);
}
