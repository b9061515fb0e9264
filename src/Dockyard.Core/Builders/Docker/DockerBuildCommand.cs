namespace Dockyard.Builders.Docker;

/// <summary>The <c>docker build</c> command line for a request (build-argument values travel in the environment).</summary>
internal static class DockerBuildCommand
{
    /// <summary>The arguments after <c>docker</c>, and the environment carrying build-argument values.</summary>
    public static (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment) For(BackendBuildRequest request)
    {
        var arguments = new List<string> { "build", "-f", request.ResolvedDockerfile };
        if (request.Target is not null) arguments.AddRange(["--target", request.Target]);
        foreach (var platform in request.Platforms) arguments.AddRange(["--platform", platform.ToString()]);
        var (buildArguments, environment) = BuildArgumentPassing.For(request.BuildArguments);
        arguments.AddRange(buildArguments);
        foreach (var (name, value) in request.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)) arguments.AddRange(["--label", $"{name}={value}"]);
        foreach (var tag in request.Tags) arguments.AddRange(["-t", tag.ToString()]);
        arguments.Add(Path.GetFullPath(request.ContextDirectory));
        return (arguments, environment);
    }
}
