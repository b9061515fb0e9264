namespace Dockyard.Jobs;

/// <summary>Recognises images of container-building tools (docker, kaniko, buildah, podman), whose jobs run with the shell executor.</summary>
public static class ContainerTools
{
    private static readonly string[] Repositories = ["docker", "library/docker", "gcr.io/kaniko-project/executor", "quay.io/buildah/stable", "quay.io/buildah/upstream", "buildah/buildah", "quay.io/podman/stable", "podman/stable", "quay.io/containers/podman", "quay.io/containers/buildah"];

    /// <summary>True when <paramref name="image"/> (a reference as written) is one of those tools.</summary>
    public static bool IsBuildTool(string image)
    {
        var name = Repository(image);
        return Repositories.Contains(name, StringComparer.Ordinal) || IsKanikoRepository(name);
    }

    /// <summary>True when <paramref name="image"/> is a kaniko executor image (its jobs call <c>/kaniko/executor</c>).</summary>
    public static bool IsKaniko(string image) => IsKanikoRepository(Repository(image));

    private static bool IsKanikoRepository(string name) =>
        name.EndsWith("/kaniko", StringComparison.Ordinal) || name.Contains("kaniko-project", StringComparison.Ordinal);

    /// <summary>The repository of a reference as written: no digest, no tag, no <c>docker.io/</c>.</summary>
    private static string Repository(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var name = image;
        var at = name.IndexOf('@');
        if (at >= 0) name = name[..at];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > slash) name = name[..colon];
        if (name.StartsWith("docker.io/", StringComparison.Ordinal)) name = name["docker.io/".Length..];
        return name;
    }
}
