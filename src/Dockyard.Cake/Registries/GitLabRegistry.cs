namespace Dockyard.Cake.Registries;

/// <summary>The GitLab container registry of the current job, from its predefined variables (never the password or token).</summary>
/// <param name="Registry">`CI_REGISTRY` (host[:port]), or <c>null</c> outside a GitLab job.</param>
/// <param name="Image">`CI_REGISTRY_IMAGE` (the project's image path), or <c>null</c>.</param>
/// <param name="User">`CI_REGISTRY_USER`, or <c>null</c>.</param>
/// <param name="HasJobToken">Whether `CI_JOB_TOKEN` (or `CI_REGISTRY_PASSWORD`) is set, so pushes can authenticate.</param>
public sealed record GitLabRegistry(string? Registry, string? Image, string? User, bool HasJobToken)
{
    /// <summary>Whether the variables of a GitLab job with a registry are there.</summary>
    public bool IsAvailable => Registry is not null && Image is not null;
}
