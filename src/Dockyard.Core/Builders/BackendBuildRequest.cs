using Dockyard.Builders.Planning;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries.References;

namespace Dockyard.Builders;

/// <summary>What a container backend is asked to build: the inputs of <c>docker build</c> / <c>buildah bud</c>.</summary>
public sealed record BackendBuildRequest
{
    /// <summary>The build context directory.</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>The Dockerfile (absolute, or relative to the current directory); <c>null</c> = <c>Dockerfile</c> in the context.</summary>
    public string? DockerfilePath { get; init; }

    /// <summary>The stage to build (<c>--target</c>); <c>null</c> = the last stage.</summary>
    public string? Target { get; init; }

    /// <summary>Build arguments (<c>--build-arg</c>); values are handed to the tool through its environment, never on its command line.</summary>
    public IReadOnlyDictionary<string, string> BuildArguments { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels added to the image (<c>--label</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Tags of the image; with <see cref="BackendOutput.Registry"/> every one is pushed. At least one is required.</summary>
    public IReadOnlyList<ImageReference> Tags { get; init; } = [];

    /// <summary>Target platforms (<c>--platform</c>); empty = the engine's own. Container backends build one platform.</summary>
    public IReadOnlyList<Platform> Platforms { get; init; } = [];

    /// <summary>Where the image goes.</summary>
    public BackendOutput Output { get; init; } = BackendOutput.Registry;

    /// <summary>
    /// Registries the build pulls base images from (<c>FROM</c>, <c>COPY --from=image</c>), canonical names; the backend
    /// authenticates to them as well as to the registries of <see cref="Tags"/>.
    /// </summary>
    public IReadOnlyList<string> PullRegistries { get; init; } = [];

    /// <summary>
    /// The plan of the target for each platform (in <see cref="Platforms"/> order; one plan when no platform is
    /// given). The native backend builds from these; container backends build the Dockerfile itself.
    /// </summary>
    public IReadOnlyList<BuildPlan> Plans { get; init; } = [];

    /// <summary>The Dockerfile path as the tools get it (<c>-f</c>).</summary>
    internal string ResolvedDockerfile => Path.GetFullPath(DockerfilePath ?? Path.Combine(ContextDirectory, "Dockerfile"));

    /// <summary>Every registry the backend must authenticate to, canonical and without duplicates.</summary>
    internal IReadOnlyList<string> Registries =>
        Tags.Select(t => t.Registry).Concat(PullRegistries).Select(RegistryHost.Canonicalize).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// <see cref="Registries"/> with the direction each is used in: push for a tag's registry, pull for a registry
    /// only base images come from (so a push-only credential is never handed to the tool for it).
    /// </summary>
    internal IReadOnlyList<(string Registry, Credentials.RegistryAccess Access)> RegistriesByAccess
    {
        get
        {
            var pushed = Tags.Select(t => RegistryHost.Canonicalize(t.Registry)).ToHashSet(StringComparer.Ordinal);
            return Registries.Select(r => (r, pushed.Contains(r) ? Credentials.RegistryAccess.Push : Credentials.RegistryAccess.Pull)).ToList();
        }
    }

    /// <summary>Checks what every backend needs; throws a <see cref="Diagnostics.DockyardException"/> naming the problem.</summary>
    internal void Validate(string backend)
    {
        if (!Directory.Exists(ContextDirectory))
            throw new DockyardException($"{backend}: the build context '{ContextDirectory}' is not a directory; give an existing directory as the build context.") { Setting = Setting.Context };
        if (!File.Exists(ResolvedDockerfile))
            throw new DockyardException($"{backend}: the Dockerfile '{ResolvedDockerfile}' does not exist; give the path of the Dockerfile.") { Setting = Setting.Dockerfile };
        if (Tags.Count == 0)
            throw new DockyardException($"{backend}: no image tag given; name the image with a tag REGISTRY/REPOSITORY:TAG.") { Setting = Setting.Tag };
        if (Platforms.Count > 1)
            throw new DockyardException(
                $"{backend}: builds one platform at a time, but {Platforms.Count} were asked for ({string.Join(", ", Platforms)}); " +
                "build each platform separately or use the native backend, which writes an image index.") { Setting = Setting.Platform };
    }
}
