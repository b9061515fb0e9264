namespace Dockyard.Credentials;

/// <summary>
/// Credentials given explicitly to a front (CLI <c>--username</c>/<c>--password-stdin</c>, MSBuild properties) for
/// named registries; other registries get <c>null</c> (the next source of a chain decides).
/// </summary>
public sealed class ExplicitCredentialProvider : ICredentialProvider
{
    private readonly Dictionary<string, RegistryCredential> _byRegistry = new(StringComparer.Ordinal);

    /// <summary>Adds a user name and password (or access token) for <paramref name="registry"/>.</summary>
    public ExplicitCredentialProvider Add(string registry, string username, string password, string source = "explicit credentials")
    {
        _byRegistry[Registries.References.RegistryHost.Canonicalize(registry)] = new RegistryCredential(username, password, null, null, source);
        return this;
    }

    /// <inheritdoc />
    /// <remarks>Explicit credentials are given for a registry, so they answer pushes and pulls alike.</remarks>
    public ValueTask<RegistryCredential?> GetAsync(string registry, RegistryAccess access, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_byRegistry.GetValueOrDefault(Registries.References.RegistryHost.Canonicalize(registry)));
}
