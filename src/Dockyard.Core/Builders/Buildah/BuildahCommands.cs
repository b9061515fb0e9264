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
        if (request.Target is not null) arguments.AddRange(["--target", request.Target]);
        foreach (var platform in request.Platforms) arguments.AddRange(["--platform", platform.ToString()]);
        var (buildArguments, environment) = BuildArgumentPassing.For(request.BuildArguments);
        arguments.AddRange(buildArguments);
        foreach (var (name, value) in request.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)) arguments.AddRange(["--label", $"{name}={value}"]);
        foreach (var tag in request.Tags) arguments.AddRange(["-t", tag.ToString()]);
        arguments.Add(Path.GetFullPath(request.ContextDirectory));
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
