namespace Dockyard.Jobs;

/// <summary>Recognises images of container-building tools (docker, kaniko, buildah, podman), whose jobs run with the shell executor.</summary>
public static class ContainerTools
{
    private static readonly string[] Repositories = ["docker", "library/docker", "gcr.io/kaniko-project/executor", "quay.io/buildah/stable", "quay.io/buildah/upstream", "buildah/buildah", "quay.io/podman/stable", "podman/stable", "quay.io/containers/podman", "quay.io/containers/buildah"];

    /// <summary>True when <paramref name="image"/> (a reference as written) is one of those tools.</summary>
    public static bool IsBuildTool(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var name = image;
        var at = name.IndexOf('@');
        if (at >= 0) name = name[..at];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > slash) name = name[..colon];
        if (name.StartsWith("docker.io/", StringComparison.Ordinal)) name = name["docker.io/".Length..];
        return Repositories.Contains(name, StringComparer.Ordinal) || name.EndsWith("/kaniko", StringComparison.Ordinal) || name.Contains("kaniko-project", StringComparison.Ordinal);
    }
}
