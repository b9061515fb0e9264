using Dockyard.Registries.References;

namespace Dockyard.Builders.Buildah;

/// <summary>The <c>buildah bud</c> and <c>buildah push</c> command lines (build-argument values travel in the environment).</summary>
internal static class BuildahCommands
{
    /// <summary>
    /// <c>buildah [global] bud --isolation chroot …</c>; <c>--tls-verify=false</c> only when every registry the build
    /// pulls from is loopback or listed as insecure.
    /// </summary>
    public static (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment) Build(BackendBuildRequest request, BuildahOptions options, string authFile)
    {
        var arguments = new List<string>(options.GlobalArguments()) { "bud", "--isolation", options.Isolation, "-f", request.ResolvedDockerfile, "--authfile", authFile };
        if (request.PullRegistries.Count > 0 && request.PullRegistries.All(options.IsInsecure)) arguments.Add("--tls-verify=false");
        var environment = DockerfileBuildFlags.Append(arguments, request);
        return (arguments, environment);
    }

    /// <summary><c>buildah [global] push --authfile F [--tls-verify=false] --digestfile D TAG docker://TAG</c>.</summary>
    public static IReadOnlyList<string> Push(ImageReference tag, BuildahOptions options, string authFile, string digestFile)
    {
        var arguments = new List<string>(options.GlobalArguments()) { "push", "--authfile", authFile, "--digestfile", digestFile };
        if (options.IsInsecure(tag.Registry)) arguments.Add("--tls-verify=false");
        arguments.AddRange([tag.ToString(), $"docker://{tag}"]);
        return arguments;
    }
}
