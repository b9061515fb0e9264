namespace Dockyard.Jobs.ContainerCommands;

/// <summary>One docker/buildah/podman line of a shell job, parsed into what Dockyard carries out natively.</summary>
internal abstract record ContainerCommand(string Tool);

/// <summary><c>docker login [-u USER] [-p PASS | --password-stdin] [REGISTRY]</c>.</summary>
internal sealed record LoginCommand(string Tool, string Registry, string? Username, string? Password, bool PasswordFromStdin) : ContainerCommand(Tool);

/// <summary><c>docker logout [REGISTRY]</c>.</summary>
internal sealed record LogoutCommand(string Tool, string Registry) : ContainerCommand(Tool);

/// <summary><c>docker build</c>, <c>buildx build</c>, <c>image build</c>, <c>buildah bud/build</c>.</summary>
internal sealed record BuildCommand(
    string Tool,
    string Context,
    IReadOnlyList<string> Tags,
    string? Dockerfile,
    string? Target,
    IReadOnlyList<KeyValuePair<string, string?>> BuildArgs,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<string> Platforms,
    bool Push,
    bool Pull,
    bool NoCache,
    string? IidFile,
    IReadOnlyList<string> IgnoredOptions) : ContainerCommand(Tool)
{
    /// <summary><c>--cache-from</c> values (a reference, or <c>type=registry,ref=…</c>).</summary>
    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    /// <summary>The <c>--cache-to</c> value, if any.</summary>
    public string? CacheTo { get; init; }

    /// <summary><c>-o</c>/<c>--output</c> values (buildx: <c>type=registry|image|docker|oci|tar|local,…</c>, or a path).</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary><c>--load</c>.</summary>
    public bool Load { get; init; }

    /// <summary><c>--metadata-file FILE</c>.</summary>
    public string? MetadataFile { get; init; }

    /// <summary>The names of <c>--secret</c>/<c>--ssh</c> options given (their values are not kept).</summary>
    public IReadOnlyList<string> SecretsAndSsh { get; init; } = [];
}

/// <summary><c>docker save [-o FILE] IMAGE...</c>.</summary>
internal sealed record SaveCommand(string Tool, string? Output, IReadOnlyList<string> Images) : ContainerCommand(Tool);

/// <summary><c>docker load [-i FILE]</c>.</summary>
internal sealed record LoadCommand(string Tool, string? Input, bool Quiet) : ContainerCommand(Tool);

/// <summary><c>docker manifest create [--amend] LIST IMAGE...</c>.</summary>
internal sealed record ManifestCreateCommand(string Tool, string List, IReadOnlyList<string> Images, bool Amend) : ContainerCommand(Tool);

/// <summary><c>docker manifest push [--purge] LIST</c>.</summary>
internal sealed record ManifestPushCommand(string Tool, string List, bool Purge) : ContainerCommand(Tool);

/// <summary><c>docker buildx imagetools create -t TAG SOURCE...</c>: an index of the sources' images, pushed to every tag.</summary>
internal sealed record IndexCreateCommand(string Tool, IReadOnlyList<string> Tags, IReadOnlyList<string> Sources) : ContainerCommand(Tool);

/// <summary><c>docker tag SOURCE TARGET</c>.</summary>
internal sealed record TagCommand(string Tool, string Source, string Target) : ContainerCommand(Tool);

/// <summary><c>docker push [--all-tags] REFERENCE</c>.</summary>
internal sealed record PushCommand(string Tool, string Reference, bool AllTags) : ContainerCommand(Tool);

/// <summary><c>docker pull REFERENCE</c>.</summary>
internal sealed record PullCommand(string Tool, string Reference) : ContainerCommand(Tool);

/// <summary><c>docker images [REPOSITORY]</c> / <c>docker image ls</c>.</summary>
internal sealed record ImagesCommand(string Tool, string? Repository, bool Quiet) : ContainerCommand(Tool);

/// <summary>What <c>docker inspect --format</c> prints: the forms pipelines use.</summary>
internal enum InspectFormat
{
    /// <summary><c>{{.Id}}</c>: the image ID (config digest).</summary>
    Id,

    /// <summary><c>{{index .RepoDigests 0}}</c>: <c>REPOSITORY@DIGEST</c>.</summary>
    RepoDigest,
}

/// <summary><c>docker image inspect --format '{{.Id}}' REFERENCE...</c> (or <c>{{index .RepoDigests 0}}</c>).</summary>
internal sealed record InspectCommand(string Tool, IReadOnlyList<string> References, InspectFormat Format) : ContainerCommand(Tool);

/// <summary>A command Dockyard does not carry out (run, exec, compose, ...): handed to the real tool when there is one.</summary>
internal sealed record ExternalCommand(string Tool, IReadOnlyList<string> Arguments) : ContainerCommand(Tool);

/// <summary>
/// <c>/kaniko/executor</c> of a kaniko job: <see cref="Build"/> is what it builds (its tags are the destinations); the
/// rest is where the image goes and how registries are reached.
/// </summary>
internal sealed record KanikoCommand(
    string Tool,
    BuildCommand Build,
    bool NoPush,
    string? TarPath,
    string? DigestFile,
    string? OciLayoutPath,
    bool Reproducible,
    bool Cache,
    string? CacheRepo,
    bool SkipTlsVerify,
    bool Insecure,
    IReadOnlyList<string> InsecureRegistries,
    IReadOnlyList<string> RegistryMirrors) : ContainerCommand(Tool);
