namespace Dockyard.Builders.Docker;

/// <summary>The <c>docker build</c> command line for a request (build-argument values travel in the environment).</summary>
internal static class DockerBuildCommand
{
    /// <summary>The arguments after <c>docker</c>, and the environment carrying build-argument values.</summary>
    public static (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment) For(BackendBuildRequest request)
    {
        var arguments = new List<string> { "build", "-f", request.ResolvedDockerfile };
        var environment = DockerfileBuildFlags.Append(arguments, request);
        return (arguments, environment);
    }
}
