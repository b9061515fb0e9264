namespace Dockyard.Cake.Images;

/// <summary>Options of <c>DockyardBuild</c>, spelled as <c>Cake.Docker</c>'s <c>DockerImageBuildSettings</c> where it has them.</summary>
public sealed class DockyardBuildSettings
{
    /// <summary>The Dockerfile, relative to the working directory (default <c>PATH/Dockerfile</c>).</summary>
    public string? File { get; set; }

    /// <summary>The stage to build.</summary>
    public string? Target { get; set; }

    /// <summary>Build arguments, <c>NAME=value</c> (or <c>NAME</c> to take it from the environment).</summary>
    public string[] BuildArg { get; set; } = [];

    /// <summary>Labels, <c>key=value</c>.</summary>
    public string[] Label { get; set; } = [];

    /// <summary>Image references to tag the result with.</summary>
    public string[] Tag { get; set; } = [];

    /// <summary>Target platforms (<c>linux/amd64</c>, ...); empty = the host's.</summary>
    public string[] Platform { get; set; } = [];

    /// <summary>Push to the tags' registries instead of the local image store.</summary>
    public bool Push { get; set; }

    /// <summary>
    /// Where the image goes instead, as <c>docker build --output</c>: <c>type=oci-archive,dest=out/app.tar</c>,
    /// <c>type=oci,dest=DIR</c>, <c>type=docker-archive,dest=FILE</c>, <c>type=docker</c> (the Docker daemon) or
    /// <c>type=registry</c> (= <see cref="Push"/>). One entry; empty = the local image store, or the registries with <see cref="Push"/>.
    /// </summary>
    public string[] Output { get; set; } = [];

    /// <summary>A <c>dotnet publish</c> output to containerise instead of a Dockerfile.</summary>
    public string? PublishDirectory { get; set; }

    /// <summary>The project <see cref="PublishDirectory"/> was published from, when the context holds several (<c>--publish-project</c>).</summary>
    public string? PublishProject { get; set; }

    /// <summary><c>auto</c> (default), <c>native</c>, <c>docker</c> or <c>buildah</c>.</summary>
    public string Backend { get; set; } = "auto";

    /// <summary>
    /// As <c>docker build --pull</c>: base images from their registry. Dockyard's builds always do that (a base is read
    /// from the local image store only when written <c>local:NAME</c>), so it changes nothing; accepted for Cake.Docker scripts.
    /// </summary>
    public bool Pull { get; set; }

    /// <summary>
    /// As <c>docker build --no-cache</c>. Dockyard reuses a layer only when its inputs' digests are the same, which gives
    /// the same image a rebuild would, so it changes nothing; accepted for Cake.Docker scripts.
    /// </summary>
    public bool NoCache { get; set; }

    /// <summary>
    /// As <c>docker build --cache-from</c>: images or layer caches (<c>REGISTRY/REPOSITORY:TAG</c> or
    /// <c>type=registry,ref=…</c>) whose layers are reused where the content is the same (neither compressed nor uploaded).
    /// </summary>
    public string[] CacheFrom { get; set; } = [];

    /// <summary>As <c>docker build --cache-to</c>: where the build's layers are recorded as a layer cache.</summary>
    public string? CacheTo { get; set; }
}

/// <summary>Fluent setters for <see cref="DockyardBuildSettings"/>.</summary>
public static class DockyardBuildSettingsExtensions
{
    /// <summary>Sets the Dockerfile.</summary>
    public static DockyardBuildSettings WithFile(this DockyardBuildSettings settings, string file) { settings.File = file; return settings; }

    /// <summary>Sets the target stage.</summary>
    public static DockyardBuildSettings WithTarget(this DockyardBuildSettings settings, string target) { settings.Target = target; return settings; }

    /// <summary>Adds a build argument.</summary>
    public static DockyardBuildSettings WithBuildArg(this DockyardBuildSettings settings, string name, string value) { settings.BuildArg = [.. settings.BuildArg, $"{name}={value}"]; return settings; }

    /// <summary>Adds a label.</summary>
    public static DockyardBuildSettings WithLabel(this DockyardBuildSettings settings, string key, string value) { settings.Label = [.. settings.Label, $"{key}={value}"]; return settings; }

    /// <summary>Adds a tag.</summary>
    public static DockyardBuildSettings WithTag(this DockyardBuildSettings settings, string reference) { settings.Tag = [.. settings.Tag, reference]; return settings; }

    /// <summary>Adds a platform.</summary>
    public static DockyardBuildSettings WithPlatform(this DockyardBuildSettings settings, string platform) { settings.Platform = [.. settings.Platform, platform]; return settings; }

    /// <summary>Pushes to the tags' registries.</summary>
    public static DockyardBuildSettings WithPush(this DockyardBuildSettings settings, bool push = true) { settings.Push = push; return settings; }

    /// <summary>Adds an output (<c>type=oci-archive,dest=out/app.tar</c>, <c>type=registry</c>, <c>type=docker</c>, ...).</summary>
    public static DockyardBuildSettings WithOutput(this DockyardBuildSettings settings, string output) { settings.Output = [.. settings.Output, output]; return settings; }

    /// <summary>Containerises a publish directory.</summary>
    public static DockyardBuildSettings WithPublishDirectory(this DockyardBuildSettings settings, string directory) { settings.PublishDirectory = directory; return settings; }

    /// <summary>Sets <see cref="DockyardBuildSettings.PublishProject"/>.</summary>
    public static DockyardBuildSettings WithPublishProject(this DockyardBuildSettings settings, string project) { settings.PublishProject = project; return settings; }

    /// <summary>Sets <see cref="DockyardBuildSettings.Pull"/>.</summary>
    public static DockyardBuildSettings WithPull(this DockyardBuildSettings settings, bool pull = true) { settings.Pull = pull; return settings; }

    /// <summary>Sets <see cref="DockyardBuildSettings.NoCache"/>.</summary>
    public static DockyardBuildSettings WithNoCache(this DockyardBuildSettings settings, bool noCache = true) { settings.NoCache = noCache; return settings; }

    /// <summary>Adds an image or layer cache to <see cref="DockyardBuildSettings.CacheFrom"/>.</summary>
    public static DockyardBuildSettings WithCacheFrom(this DockyardBuildSettings settings, string reference) { settings.CacheFrom = [.. settings.CacheFrom, reference]; return settings; }

    /// <summary>Sets <see cref="DockyardBuildSettings.CacheTo"/>.</summary>
    public static DockyardBuildSettings WithCacheTo(this DockyardBuildSettings settings, string reference) { settings.CacheTo = reference; return settings; }

    /// <summary>Chooses the backend.</summary>
    public static DockyardBuildSettings WithBackend(this DockyardBuildSettings settings, string backend) { settings.Backend = backend; return settings; }
}

/// <summary>What <c>DockyardBuild</c> produced.</summary>
/// <param name="Digest">The manifest or index digest, or <c>null</c> when the backend reported none.</param>
/// <param name="Tags">The tags written.</param>
/// <param name="BytesUploaded">Bytes pushed, or <c>null</c> when nothing was pushed.</param>
/// <param name="Backend">The backend that built it.</param>
public sealed record DockyardBuildResult(string? Digest, IReadOnlyList<string> Tags, long? BytesUploaded, string Backend);
