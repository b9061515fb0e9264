namespace Dockyard.Builders;

/// <summary>The build flags <c>docker build</c> and <c>buildah bud</c> share, in the same order, ending with the context.</summary>
internal static class DockerfileBuildFlags
{
    /// <summary>
    /// Appends <c>--target</c>, <c>--platform</c>, <c>--build-arg</c>, <c>--label</c>, <c>-t</c> and the context directory
    /// to <paramref name="arguments"/>; returns the environment that carries build-argument values (never on argv).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Append(List<string> arguments, BackendBuildRequest request)
    {
        if (request.Target is not null) arguments.AddRange(["--target", request.Target]);
        foreach (var platform in request.Platforms) arguments.AddRange(["--platform", platform.ToString()]);
        var (buildArguments, environment) = BuildArgumentPassing.For(request.BuildArguments);
        arguments.AddRange(buildArguments);
        foreach (var (name, value) in request.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)) arguments.AddRange(["--label", $"{name}={value}"]);
        foreach (var tag in request.Tags) arguments.AddRange(["-t", tag.ToString()]);
        arguments.Add(Path.GetFullPath(request.ContextDirectory));
        return environment;
    }
}
