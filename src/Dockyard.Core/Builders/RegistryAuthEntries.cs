using System.Text;
using System.Text.Json.Nodes;
using Dockyard.Credentials;
using Dockyard.Credentials.Masking;

namespace Dockyard.Builders;

/// <summary>
/// Writes credentials as the <c>auths</c> object of a docker <c>config.json</c> / containers <c>auth.json</c>:
/// <c>auth</c> = base64(<c>user:password</c>), plus <c>identitytoken</c> or <c>registrytoken</c> when the credential is a token.
/// </summary>
internal static class RegistryAuthEntries
{
    /// <summary>Looks up the credential of every registry (masking every secret found) and returns the entries by key.</summary>
    /// <param name="registries">Canonical registry names, each with the direction it is used in (push wins for a registry used both ways).</param>
    /// <param name="credentials">Where credentials come from.</param>
    /// <param name="masker">Receives every secret.</param>
    /// <param name="keyOf">The key a registry gets in the file.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    public static async Task<IReadOnlyList<(string Registry, string Key, RegistryCredential? Credential)>> LookUpAsync(
        IReadOnlyList<(string Registry, RegistryAccess Access)> registries, ICredentialProvider credentials, SecretMasker masker, Func<string, string> keyOf, CancellationToken cancellationToken)
    {
        var found = new List<(string, string, RegistryCredential?)>();
        foreach (var (registry, access) in registries)
        {
            var credential = await credentials.GetAsync(registry, access, cancellationToken);
            if (credential is not null) masker.Add(credential);
            found.Add((registry, keyOf(registry), credential));
        }
        return found;
    }

    /// <summary>One entry of the <c>auths</c> object.</summary>
    public static JsonObject Entry(RegistryCredential credential)
    {
        var entry = new JsonObject
        {
            ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")),
        };
        if (credential.IdentityToken is not null) entry["identitytoken"] = credential.IdentityToken;
        if (credential.RegistryToken is not null) entry["registrytoken"] = credential.RegistryToken;
        return entry;
    }
}
