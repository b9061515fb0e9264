namespace Dockyard.Credentials.DockerConfig;

/// <summary>One decoded <c>auths</c> entry of a docker config (secrets in memory only, never printed).</summary>
internal sealed record DockerAuthEntry(string Key, string? Username, string? Password, string? IdentityToken, string? RegistryToken)
{
    /// <summary>Whether the entry carries nothing usable (docker writes <c>{}</c> entries when a credential store holds the secret).</summary>
    public bool IsEmpty =>
        string.IsNullOrEmpty(Password) && string.IsNullOrEmpty(IdentityToken) && string.IsNullOrEmpty(RegistryToken);

    public override string ToString() => $"auths[\"{Key}\"]";
}
