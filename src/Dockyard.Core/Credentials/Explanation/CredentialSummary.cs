namespace Dockyard.Credentials.Explanation;

/// <summary>The credential the chain found, described without its secret.</summary>
/// <param name="Username">The user name (not a secret), or <c>null</c>.</param>
/// <param name="Kind"><c>password</c>, <c>identity token</c> or <c>registry token</c>.</param>
/// <param name="Source">Where it came from.</param>
public sealed record CredentialSummary(string? Username, string Kind, string Source)
{
    internal static CredentialSummary Of(RegistryCredential credential) => new(
        string.IsNullOrEmpty(credential.Username) ? null : credential.Username,
        credential.RegistryToken is not null ? "registry token" : credential.IdentityToken is not null ? "identity token" : "password",
        credential.Source);
}
