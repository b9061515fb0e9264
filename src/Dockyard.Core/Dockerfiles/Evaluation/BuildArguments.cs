using Dockyard.Diagnostics;
using Dockyard.Images;

namespace Dockyard.Dockerfiles.Evaluation;

/// <summary>What a build is asked for: <c>--build-arg</c> values and the target and build platforms.</summary>
/// <param name="Values">The build arguments by name.</param>
/// <param name="TargetPlatform">The platform the image is built for (<c>--platform</c>).</param>
/// <param name="BuildPlatform">The platform the build runs on.</param>
public sealed record BuildArguments(IReadOnlyDictionary<string, string> Values, Platform TargetPlatform, Platform BuildPlatform)
{
    /// <summary>The proxy arguments docker passes to RUN without an ARG declaration.</summary>
    public static readonly IReadOnlyList<string> ProxyArgs =
        ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"];

    /// <summary>No build arguments, building for the current platform on the current platform.</summary>
    public static BuildArguments None { get; } = new(new Dictionary<string, string>(), Platform.Current, Platform.Current);

    /// <summary>
    /// Parses <c>--build-arg</c> values: <c>NAME=value</c>, or <c>NAME</c> alone to take the value from
    /// <paramref name="environment"/> (the host's; skipped when unset, as docker does; none when <c>null</c>).
    /// </summary>
    /// <exception cref="DockyardException">An item has no name.</exception>
    public static BuildArguments Parse(IEnumerable<string> items, Platform? target = null, Platform? build = null, Func<string, string?>? environment = null)
    {
        environment ??= static _ => null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? item : item[..equals];
            if (name.Length == 0)
                throw new DockyardException($"--build-arg '{item}' has no name. Write --build-arg NAME=value.");
            if (equals >= 0) values[name] = item[(equals + 1)..];
            else if (environment(name) is { } fromEnvironment) values[name] = fromEnvironment;
        }
        return new BuildArguments(values, target ?? Platform.Current, build ?? Platform.Current);
    }

    /// <summary>The automatic platform ARGs: TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT and the BUILD* ones.</summary>
    public IReadOnlyDictionary<string, string> Predefined => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["TARGETPLATFORM"] = TargetPlatform.ToString(),
        ["TARGETOS"] = TargetPlatform.Os,
        ["TARGETARCH"] = TargetPlatform.Architecture,
        ["TARGETVARIANT"] = TargetPlatform.Variant ?? "",
        ["BUILDPLATFORM"] = BuildPlatform.ToString(),
        ["BUILDOS"] = BuildPlatform.Os,
        ["BUILDARCH"] = BuildPlatform.Architecture,
        ["BUILDVARIANT"] = BuildPlatform.Variant ?? "",
    };
}
