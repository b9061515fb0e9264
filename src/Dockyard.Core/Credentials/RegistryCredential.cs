namespace Dockyard.Credentials;

/// <summary>
/// What a credential source answered for one registry. Exactly one of password, identity token
/// (an OAuth2 refresh token) or registry token (a ready bearer token) is normally set.
/// <see cref="ToString"/> never prints a secret.
/// </summary>
/// <param name="Username">The user name (may be empty for token-only credentials).</param>
/// <param name="Password">The password or access token used with HTTP Basic / token GET.</param>
/// <param name="IdentityToken">An OAuth2 refresh token (docker's <c>identitytoken</c>, or a helper's <c>&lt;token&gt;</c> user).</param>
/// <param name="RegistryToken">A bearer token sent as is (docker's <c>registrytoken</c>).</param>
/// <param name="Source">Where the credential came from, e.g. <c>DOCKER_AUTH_CONFIG (auths)</c> or <c>docker-credential-ecr-login</c>.</param>
public sealed record RegistryCredential(string? Username, string? Password, string? IdentityToken, string? RegistryToken, string Source)
{
    /// <summary>Every secret this credential holds, for masking in logs and messages.</summary>
    public IEnumerable<string> Secrets =>
        new[] { Password, IdentityToken, RegistryToken }.Where(s => !string.IsNullOrEmpty(s))!;

    /// <summary>Describes the credential without any secret.</summary>
    public override string ToString()
    {
        var kind = RegistryToken is not null ? "registry token" : IdentityToken is not null ? "identity token" : "password";
        return $"{(string.IsNullOrEmpty(Username) ? "(no user)" : Username)} with {kind} from {Source}";
    }
}
