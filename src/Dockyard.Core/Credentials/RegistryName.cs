namespace Dockyard.Credentials;

/// <summary>
/// Registry names as the credential chain compares them: the canonical form (<c>docker.io</c> for Docker Hub,
/// otherwise lower-case <c>host[:port]</c>) and docker's config-file keys.
/// </summary>
public static class RegistryName
{
    /// <summary>The canonical name of Docker Hub.</summary>
    public const string DockerHub = Registries.References.RegistryHost.DockerHub;

    /// <summary>The key docker uses for Docker Hub in <c>config.json</c> and when it asks a credential helper.</summary>
    public const string DockerHubConfigKey = "https://index.docker.io/v1/";

    /// <summary>
    /// Reduces what a user or a variable names as a registry (<c>https://Registry.example.com:5000/v2/</c>,
    /// <c>index.docker.io</c>, <c>registry.example.com/group/project</c>) to its canonical form.
    /// </summary>
    public static string Canonicalize(string registry) => Registries.References.RegistryHost.Canonicalize(registry);

    /// <summary>The key docker's config and credential helpers use for a canonical registry name.</summary>
    public static string ConfigKeyFor(string canonicalRegistry) =>
        canonicalRegistry == DockerHub ? DockerHubConfigKey : canonicalRegistry;

    /// <summary>Whether a stored config key names <paramref name="canonicalRegistry"/> once reduced to its host.</summary>
    internal static bool KeyMatches(string key, string canonicalRegistry) => Canonicalize(key) == canonicalRegistry;

    /// <summary>
    /// Podman's (containers/image) rule: a key with a scheme is a legacy key reduced to its host; a key without a scheme
    /// but with a path is scoped to that namespace and never answers for the whole registry; hosts are case-sensitive.
    /// </summary>
    internal static bool PodmanKeyMatches(string key, string canonicalRegistry)
    {
        var scheme = key.IndexOf("://", StringComparison.Ordinal);
        var host = scheme >= 0 ? key[(scheme + 3)..] : key;
        var slash = host.IndexOf('/');
        if (slash >= 0)
        {
            if (scheme < 0)
            {
                return false;
            }

            host = host[..slash];
        }

        return (Registries.References.RegistryHost.IsDockerHubAlias(host) ? DockerHub : host) == canonicalRegistry;
    }
}
