namespace Dockyard.Credentials;

/// <summary>The steps of the credential chain, in the order they are consulted. Each can be turned off.</summary>
public enum CredentialSourceKind
{
    /// <summary>Credentials the front was given (MSBuild properties, Cake settings, CLI flags, stdin).</summary>
    Explicit,

    /// <summary>The .NET SDK's <c>DOTNET_CONTAINER_*_REGISTRY_UNAME/PWORD</c> and legacy <c>SDK_CONTAINER_REGISTRY_*</c>.</summary>
    SdkEnvironment,

    /// <summary>The <c>DOCKER_AUTH_CONFIG</c> variable (a whole docker <c>config.json</c>), as GitLab Runner reads it.</summary>
    DockerAuthConfig,

    /// <summary>Docker config files: <c>$DOCKER_CONFIG/config.json</c>, <c>~/.docker/config.json</c>, root's, <c>~/.dockercfg</c>.</summary>
    DockerConfigFile,

    /// <summary>The job's own credentials for <c>$CI_REGISTRY</c> (<c>CI_REGISTRY_USER</c>, job token, deploy token).</summary>
    GitLabJob,

    /// <summary>The job's credentials for the GitLab dependency proxy (<c>$CI_DEPENDENCY_PROXY_SERVER</c>).</summary>
    GitLabDependencyProxy,

    /// <summary>Podman's <c>auth.json</c> (<c>$REGISTRY_AUTH_FILE</c>, <c>$XDG_RUNTIME_DIR/containers/auth.json</c>).</summary>
    Podman,
}
