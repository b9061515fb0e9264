namespace Dockyard.Credentials;

/// <summary>Finds the credential to use for a registry.</summary>
public interface ICredentialProvider
{
    /// <summary>
    /// Returns the credential for <paramref name="registry"/> (canonical host form: <c>docker.io</c> for Docker Hub,
    /// otherwise <c>host[:port]</c>, lower-case), or <c>null</c> to access it anonymously.
    /// </summary>
    /// <exception cref="Diagnostics.DockyardException">A source is misconfigured (the message names it and says what to do).</exception>
    ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default);
}
