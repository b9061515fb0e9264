namespace Dockyard.Credentials;

/// <summary>The names fronts use for the chain's steps (e.g. <c>--disable docker-config-file</c>).</summary>
public static class CredentialSourceNames
{
    private static readonly IReadOnlyDictionary<CredentialSourceKind, string> Names = new Dictionary<CredentialSourceKind, string>
    {
        [CredentialSourceKind.Explicit] = "explicit",
        [CredentialSourceKind.SdkEnvironment] = "sdk-environment",
        [CredentialSourceKind.DockerAuthConfig] = "docker-auth-config",
        [CredentialSourceKind.DockerConfigFile] = "docker-config-file",
        [CredentialSourceKind.GitLabJob] = "gitlab-job",
        [CredentialSourceKind.GitLabDependencyProxy] = "gitlab-dependency-proxy",
        [CredentialSourceKind.Podman] = "podman",
    };

    /// <summary>Every step's name, in chain order.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<CredentialSourceKind>().Select(k => Names[k]).ToArray();

    /// <summary>The name of a step.</summary>
    public static string NameOf(CredentialSourceKind kind) => Names[kind];

    /// <summary>The step with that name (case-insensitive), or an error listing the valid names.</summary>
    public static CredentialSourceKind Parse(string name) =>
        Names.FirstOrDefault(pair => string.Equals(pair.Value, name.Trim(), StringComparison.OrdinalIgnoreCase)) is { Value: not null } match
            ? match.Key
            : throw new Diagnostics.DockyardException(
                $"Unknown credential source '{name}'. Use one of: {string.Join(", ", All)}.");
}
