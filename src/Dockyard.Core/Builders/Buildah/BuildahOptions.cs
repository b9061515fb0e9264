using Dockyard.Registries.References;

namespace Dockyard.Builders.Buildah;

/// <summary>Settings of the <see cref="BuildahBackend"/>.</summary>
public sealed record BuildahOptions : ToolSettings
{
    /// <summary>The buildah program (default <c>buildah</c> on PATH).</summary>
    public override string Executable { get; init; } = "buildah";

    /// <summary>Where buildah keeps images (<c>--root</c>); <c>null</c> = its default (<c>/var/lib/containers/storage</c>, or under <c>$HOME</c> when rootless).</summary>
    public string? Root { get; init; }

    /// <summary>Where buildah keeps run state (<c>--runroot</c>); <c>null</c> = its default.</summary>
    public string? RunRoot { get; init; }

    /// <summary>The storage driver; <c>vfs</c> works anywhere (no overlay mounts, unprivileged, nested in a CI job).</summary>
    public string StorageDriver { get; init; } = "vfs";

    /// <summary>How <c>RUN</c> steps are isolated; <c>chroot</c> needs no user namespaces or cgroups.</summary>
    public string Isolation { get; init; } = "chroot";

    /// <summary>Registries reached over plain HTTP or with unverified TLS besides loopback ones (canonical <c>host[:port]</c>).</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Whether TLS verification is skipped for <paramref name="registry"/>: only for loopback and listed registries.</summary>
    public bool IsInsecure(string registry) =>
        RegistryHost.IsLoopback(registry) || InsecureRegistries.Any(r => RegistryHost.Canonicalize(r) == RegistryHost.Canonicalize(registry));

    /// <summary>The global options before buildah's subcommand.</summary>
    internal IReadOnlyList<string> GlobalArguments()
    {
        var arguments = new List<string>();
        if (Root is not null) arguments.AddRange(["--root", Root]);
        if (RunRoot is not null) arguments.AddRange(["--runroot", RunRoot]);
        arguments.AddRange(["--storage-driver", StorageDriver]);
        return arguments;
    }
}
