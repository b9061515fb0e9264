using Dockyard.Builders;
using Dockyard.Credentials;
using Dockyard.Images;
using Dockyard.Layers;

namespace Dockyard.UseCases.Build;

/// <summary>
/// What to build and where it goes: the inputs of "build an image", the same for every front (CLI, MSBuild, Cake,
/// job runner). Paths are resolved against <see cref="Hosting.HostContext.WorkingDirectory"/>.
/// </summary>
public sealed record ImageBuildRequest
{
    /// <summary>The build context directory (with no Dockerfile: default the publish directory).</summary>
    public string? ContextDirectory { get; init; }

    /// <summary>
    /// The Dockerfile; <c>null</c> = <c>Dockerfile</c> in the context when it exists, else (with a
    /// <see cref="PublishDirectory"/>) the image is made from the publish directory and <see cref="App"/> as the SDK's
    /// <c>PublishContainer</c> does.
    /// </summary>
    public string? Dockerfile { get; init; }

    /// <summary>The stage to build; <c>null</c> = the last.</summary>
    public string? Target { get; init; }

    /// <summary>Build arguments: <c>NAME=VALUE</c>, or <c>NAME</c> to take the value from the host's environment.</summary>
    public IReadOnlyList<string> BuildArguments { get; init; } = [];

    /// <summary>Labels set on the image besides the Dockerfile's own.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Label the image with its base's manifest digest (<c>org.opencontainers.image.base.digest</c>, as the SDK's generated labels do); native builds only.</summary>
    public bool BaseDigestLabel { get; init; }

    /// <summary>The image's names, <c>REGISTRY/REPOSITORY:TAG</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Target platforms; empty = this machine's. Several give an image index (native backend).</summary>
    public IReadOnlyList<Platform> Platforms { get; init; } = [];

    /// <summary>Where the image goes (default: the local store).</summary>
    public ImageDestination Destination { get; init; } = ImageDestination.LocalStore;

    /// <summary>
    /// The root of the local image store for the local-store destination (default: <c>images</c> under
    /// <see cref="Hosting.HostContext.CacheDirectory"/>, as <c>local:NAME</c> everywhere else reads it).
    /// </summary>
    public string? LocalStoreDirectory { get; init; }

    /// <summary>Which backend builds (default auto: native when no stage needs a container).</summary>
    public BackendKind Backend { get; init; } = BackendKind.Auto;

    /// <summary>
    /// Whether a <c>FROM</c> image the local store holds under its name is taken from there rather than pulled, as
    /// <c>docker build</c> takes images the daemon has unless <c>--pull</c> (default: always from the registry). Names
    /// written <c>local:NAME</c> are always read from the store.
    /// </summary>
    public bool BaseImagesFromLocalStore { get; init; }

    /// <summary>
    /// Whether a <c>FROM</c> of Microsoft's .NET runtime images (<c>mcr.microsoft.com/dotnet/runtime-deps</c>,
    /// <c>runtime</c>, <c>aspnet</c>) whose registry cannot be reached is made from this machine's .NET runtime instead,
    /// with a warning. <c>null</c> (the default) decides: yes when the image goes to the local store and the host is no CI
    /// job (<c>GITLAB_CI</c> and <c>CI</c> are not <c>true</c>) or a job of a local <c>dockyard ci run</c>, the embedded default of
    /// a local build offline; no otherwise.
    /// </summary>
    public bool? MachineRuntimeBases { get; init; }

    /// <summary>The output directory of <c>dotnet publish</c>, for a Dockerfile's <c>RUN dotnet publish -o</c> or for a build without Dockerfile.</summary>
    public string? PublishDirectory { get; init; }

    /// <summary>The project the publish directory was built from (default: the only <c>*.csproj</c> in the context).</summary>
    public string? PublishProject { get; init; }

    /// <summary>The configuration the publish directory was built with.</summary>
    public string PublishConfiguration { get; init; } = "Release";

    /// <summary>How published output is layered (default: dependencies, then the app's own files).</summary>
    public PublishLayeringOptions PublishLayering { get; init; } = new();

    /// <summary>The image made from a publish directory when there is no Dockerfile.</summary>
    public ContainerAppSettings App { get; init; } = new();

    /// <summary>The compression of new layers.</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>The layer cache directory (default <c>layers</c> under <see cref="Hosting.HostContext.CacheDirectory"/>).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Images or layer caches whose layers the native backend reuses where its own have the same content (diff_id):
    /// such a layer is neither compressed nor uploaded. Any image serves. Each is <c>REGISTRY/REPOSITORY[:TAG]</c> or
    /// docker's <c>type=registry,ref=…</c> (other types are said to be ignored).
    /// </summary>
    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    /// <summary>Where the layers this build used are recorded as a layer cache (read first too), written like <see cref="CacheFrom"/>'s entries; null: nowhere.</summary>
    public string? CacheTo { get; init; }

    /// <summary>A repository that holds this build's layer cache, read and written under the tag <c>dockyard-layer-cache</c> (kaniko's <c>--cache-repo</c>).</summary>
    public string? CacheRepository { get; init; }

    /// <summary>Whether a push first looks for its layers in the images its tags name now (true; what they hold is reused).</summary>
    public bool CacheFromTags { get; init; } = true;

    /// <summary>Registries (<c>host[:port]</c>) that may use plain HTTP or unverified TLS.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>A directory of registry CA certificates (<c>certs.d</c> layout: one folder per registry).</summary>
    public string? CertificateDirectory { get; init; }

    /// <summary>Credentials that win over every other source of the credential chain.</summary>
    public IReadOnlyList<ExplicitCredential> Credentials { get; init; } = [];

    /// <summary>Plan only: choose nothing, build nothing; the result carries the plan.</summary>
    public bool PlanOnly { get; init; }

    /// <summary>The container tools and where buildah keeps its images.</summary>
    public BuildTools Tools { get; init; } = new();

    /// <summary>The time stamped on layers, history and config (default: <c>SOURCE_DATE_EPOCH</c>, else the fixed epoch).</summary>
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>The kinds of <see cref="ImageDestination"/>.</summary>
public enum ImageDestinationKind
{
    /// <summary>Dockyard's local image store (as <c>docker build</c> puts the image in the daemon).</summary>
    LocalStore,

    /// <summary>Pushed to the registry of every tag.</summary>
    Push,

    /// <summary>A location: <c>oci:DIR</c>, <c>oci-archive:FILE</c>, <c>docker-archive:FILE</c> or <c>docker-daemon</c>.</summary>
    Location,
}

/// <summary>Where a built image goes.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Location">For <see cref="ImageDestinationKind.Location"/>: <c>oci:DIR</c>, <c>oci-archive:FILE</c>, <c>docker-archive:FILE</c> or <c>docker-daemon</c>.</param>
public sealed record ImageDestination(ImageDestinationKind Kind, string? Location = null)
{
    /// <summary>The location that loads the image into the local Docker daemon.</summary>
    public const string DockerDaemon = "docker-daemon";

    /// <summary>The local image store.</summary>
    public static ImageDestination LocalStore { get; } = new(ImageDestinationKind.LocalStore);

    /// <summary>Push to the tags' registries.</summary>
    public static ImageDestination Push { get; } = new(ImageDestinationKind.Push);

    /// <summary>A location string (see <see cref="ImageDestinationKind.Location"/>).</summary>
    public static ImageDestination At(string location) => new(ImageDestinationKind.Location, location);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ImageDestinationKind.LocalStore => "the local store",
        ImageDestinationKind.Push => "the tags' registries",
        _ => Location ?? "",
    };
}

/// <summary>
/// The image made from a publish directory without a Dockerfile, as the .NET SDK's <c>PublishContainer</c> makes it
/// (<c>ContainerBaseImage</c>, <c>ContainerWorkingDirectory</c>, <c>ContainerPort</c>, <c>ContainerEnvironmentVariable</c>,
/// <c>ContainerUser</c>, <c>ContainerAppCommand</c>).
/// </summary>
public sealed record ContainerAppSettings
{
    /// <summary>The base image (required without a Dockerfile), e.g. <c>mcr.microsoft.com/dotnet/aspnet:10.0</c>.</summary>
    public string? BaseImage { get; init; }

    /// <summary>Where the app is placed and runs.</summary>
    public string WorkingDirectory { get; init; } = "/app";

    /// <summary>Exposed ports, <c>8080</c> or <c>8080/udp</c> (<c>/tcp</c> by default).</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];

    /// <summary>Environment variables of the image.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The user; <c>null</c> = the base image's <c>APP_UID</c> when it sets one, else the base image's user.</summary>
    public string? User { get; init; }

    /// <summary>The entrypoint; empty = <c>WORKDIR/App</c> when the app host is published, else <c>dotnet WORKDIR/App.dll</c>.</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    /// <summary>Arguments after the entrypoint (<c>CMD</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
}

/// <summary>The container tools the docker and buildah backends run.</summary>
public sealed record BuildTools
{
    /// <summary>The docker CLI (default <c>docker</c> on PATH).</summary>
    public string Docker { get; init; } = "docker";

    /// <summary>buildah (default <c>buildah</c> on PATH).</summary>
    public string Buildah { get; init; } = "buildah";

    /// <summary>buildah's image store (<c>--root</c>); <c>null</c> = its default.</summary>
    public string? BuildahRoot { get; init; }

    /// <summary>buildah's run state (<c>--runroot</c>); <c>null</c> = its default.</summary>
    public string? BuildahRunRoot { get; init; }
}
