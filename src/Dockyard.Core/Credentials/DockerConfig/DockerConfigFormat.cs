namespace Dockyard.Credentials.DockerConfig;

/// <summary>Which dialect of the docker config a source holds.</summary>
internal enum DockerConfigFormat
{
    /// <summary>Docker's <c>config.json</c> (also GitLab's <c>DOCKER_AUTH_CONFIG</c>): Docker Hub is <c>https://index.docker.io/v1/</c>.</summary>
    Docker,

    /// <summary>The legacy <c>~/.dockercfg</c>: a bare map of keys to <c>{auth, email}</c>.</summary>
    LegacyDockercfg,

    /// <summary>Podman's <c>auth.json</c>: same shape, Docker Hub keyed <c>docker.io</c>, helpers asked with the bare host.</summary>
    Podman,
}
