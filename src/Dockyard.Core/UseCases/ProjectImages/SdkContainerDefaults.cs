using System.Text;
using System.Text.RegularExpressions;
using Dockyard.Diagnostics;
using Dockyard.Images;

namespace Dockyard.UseCases.ProjectImages;

/// <summary>
/// The .NET SDK's container defaults (<c>Microsoft.NET.Build.Containers</c>): the base image it picks, the repository
/// name it derives from the assembly name, the platform of a runtime identifier and the ports it infers from the
/// ASP.NET Core variables.
/// </summary>
internal static partial class SdkContainerDefaults
{
    /// <summary>Where the SDK's default base images live.</summary>
    public const string BaseImageRegistry = "mcr.microsoft.com/dotnet";

    /// <summary>
    /// The SDK's <c>DefaultBaseImage</c>: <c>runtime-deps</c> for self-contained apps, <c>aspnet</c> for web projects,
    /// <c>runtime</c> otherwise; the tag is the target framework's version, then <c>-FAMILY</c> (<c>-alpine</c> for a musl RID).
    /// </summary>
    public static string BaseImage(ProjectImageRequest request)
    {
        var name = request.SelfContained ? "runtime-deps" : request.IsWebProject ? "aspnet" : "runtime";
        var version = request.TargetFramework is { } tfm && FrameworkVersion().Match(tfm) is { Success: true } m ? m.Groups["version"].Value
            : throw new DockyardException($"The target framework '{request.TargetFramework}' has no .NET version to pick the default base image's tag from; set ContainerBaseImage.")
                { Setting = Setting.BaseImage };
        var family = request.Family is { Length: > 0 } f ? f
            : Rids(request).Any(r => r.Contains("-musl-", StringComparison.Ordinal)) ? "alpine" : null;
        return $"{BaseImageRegistry}/{name}:{version}{(family is null ? "" : "-" + family)}";
    }

    /// <summary>The SDK's repository from an assembly name: lower case, every character a repository cannot hold replaced by <c>-</c>.</summary>
    public static string Repository(string assemblyName)
    {
        var text = new StringBuilder();
        foreach (var c in assemblyName.ToLowerInvariant())
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' ? c : '-');
        var repository = text.ToString().TrimStart('.', '_', '-', '/').TrimEnd('.', '_', '-', '/');
        return repository.Length > 0 ? repository
            : throw new DockyardException($"The assembly name '{assemblyName}' gives no repository name; set ContainerRepository.") { Setting = Setting.Tag };
    }

    /// <summary>The image platforms of the request's RIDs (none = this machine's).</summary>
    public static IReadOnlyList<Platform> Platforms(ProjectImageRequest request) => Rids(request).Select(PlatformOf).Distinct().ToList();

    /// <summary>The container RIDs: <c>ContainerRuntimeIdentifier(s)</c>, else the project's <c>RuntimeIdentifier</c>.</summary>
    public static IReadOnlyList<string> Rids(ProjectImageRequest request) =>
        request.ContainerRuntimeIdentifiers.Count > 0 ? request.ContainerRuntimeIdentifiers
        : request.RuntimeIdentifier is { Length: > 0 } rid ? [rid] : [];

    /// <summary>The platform of a Linux runtime identifier (<c>linux-x64</c> → <c>linux/amd64</c>).</summary>
    public static Platform PlatformOf(string rid)
    {
        var parts = rid.ToLowerInvariant().Split('-');
        var architecture = parts.Length >= 2 && parts[0] == "linux" ? parts[^1] : null;
        return architecture switch
        {
            "x64" => Platform.Parse("linux/amd64"),
            "arm64" => Platform.Parse("linux/arm64"),
            "arm" => Platform.Parse("linux/arm/v7"),
            "x86" => Platform.Parse("linux/386"),
            "s390x" => Platform.Parse("linux/s390x"),
            "ppc64le" => Platform.Parse("linux/ppc64le"),
            _ => throw new DockyardException($"The runtime identifier '{rid}' is not a Linux one Dockyard builds images for (linux-x64, linux-arm64, linux-arm, linux-musl-x64, …); " +
                "set ContainerRuntimeIdentifier to a linux RID.") { Setting = Setting.Platform },
        };
    }

    /// <summary>
    /// The ports the SDK infers from the image's environment: <c>ASPNETCORE_HTTP_PORTS</c>/<c>ASPNETCORE_HTTPS_PORTS</c>,
    /// else the ports of <c>ASPNETCORE_URLS</c>; empty when none is set (the base image's own variables then decide).
    /// </summary>
    public static IReadOnlyList<string> InferredPorts(IReadOnlyDictionary<string, string> environment)
    {
        var ports = new[] { "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS" }
            .SelectMany(v => (environment.TryGetValue(v, out var value) ? value : "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(p => p.All(char.IsAsciiDigit)).ToList();
        if (ports.Count == 0 && environment.TryGetValue("ASPNETCORE_URLS", out var urls))
            ports = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(u => UrlPort().Match(u)).Where(m => m.Success).Select(m => m.Groups["port"].Value).ToList();
        return ports.Distinct(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex(@"^net(?<version>\d+\.\d+)$")]
    private static partial Regex FrameworkVersion();

    [GeneratedRegex(@"^[a-z]+://[^/]*:(?<port>\d+)(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPort();
}
