namespace Dockyard.Credentials;

/// <summary>Finds the credential to use for a registry, for pushing or for pulling.</summary>
public interface ICredentialProvider
{
    /// <summary>
    /// Returns the credential for <paramref name="registry"/> (canonical host form: <c>docker.io</c> for Docker Hub,
    /// otherwise <c>host[:port]</c>, lower-case) when accessing it for <paramref name="access"/>, or <c>null</c> to
    /// access it anonymously. A credential given for pushes only must not answer a pull.
    /// </summary>
    /// <exception cref="Diagnostics.DockyardException">A source is misconfigured (the message names it and says what to do).</exception>
    ValueTask<RegistryCredential?> GetAsync(string registry, RegistryAccess access, CancellationToken cancellationToken = default);
}
