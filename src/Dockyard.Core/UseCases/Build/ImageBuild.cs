using Dockyard.Images.Stores;
using Dockyard.Builders;
using Dockyard.Builders.Buildah;
using Dockyard.Builders.Docker;
using Dockyard.Builders.MachineRuntime;
using Dockyard.Builders.Native;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Registries;
using Dockyard.Registries.References;

namespace Dockyard.UseCases.Build;

/// <summary>
/// "Build an image", the one use case every front calls: plans the Dockerfile (or the SDK's <c>PublishContainer</c>
/// layout of a publish directory) for each platform, chooses native, docker or buildah and says why, builds, and
/// delivers the image (local store, push, a file or layout, the Docker daemon). Reads nothing of the process: the
/// environment, paths, logger and masker come from the <see cref="HostContext"/>.
/// </summary>
public static class ImageBuild
{
    /// <summary>Builds <paramref name="request"/> and returns what was built and where it went.</summary>
    /// <exception cref="DockyardException">Bad input or environment: the message names where and what to do.</exception>
    public static async Task<ImageBuildResult> RunAsync(HostContext host, ImageBuildRequest request, CancellationToken cancellationToken = default)
    {
        var log = new BuildLog(host);
        request = request with { Destination = BuildOutputWriter.Resolve(request.Destination, host) };
        var credentials = new CredentialChain(new CredentialChainOptions { Explicit = [.. request.Credentials, .. host.Credentials.All], Masker = host.Masker }, host.CredentialEnvironment);
        var clientOptions = RegistryOptions(host, request);
        using var registry = new RegistryClient(credentials, clientOptions with { Progress = new TransferProgressForwarder(host.Progress, countUploads: false) });
        var cache = new LayerCache(request.CacheDirectory is { } cacheDirectory ? host.FullPath(cacheDirectory) : Path.Combine(host.CacheDirectory, "layers"));

        var store = new LocalImageStore(LocalStore(host, request));
        var machineRuntime = MachineRuntimeBases(host, request) ? new MachineRuntimeImages(host, cache, message => log.Warning(message)) : null;
        var inputs = await ImageBuildInputs.PrepareAsync(host, request, new BaseImageLoader(cache, registry, store, request.BaseImagesFromLocalStore) { MachineRuntime = machineRuntime }, cancellationToken);
        using var sdkWorkspace = inputs.SdkWorkspace;
        var plan = inputs.Plans[0];
        log.PlanWarnings(plan);
        if (request.PlanOnly) return new ImageBuildResult { Plan = plan };

        var docker = new DockerCliBackend(credentials, new DockerCliOptions { Executable = request.Tools.Docker, Environment = ToolEnvironment(host), Log = log.ToolLine });
        var buildah = new BuildahBackend(credentials, new BuildahOptions
        {
            Executable = request.Tools.Buildah, Environment = ToolEnvironment(host), Log = log.ToolLine,
            Root = request.Tools.BuildahRoot is { } root ? host.FullPath(root) : null, RunRoot = request.Tools.BuildahRunRoot is { } run ? host.FullPath(run) : null,
            InsecureRegistries = clientOptions.InsecureRegistries.ToList(),
        });
        var tags = request.Tags.Select(t => ParseTag(t).ToString()).ToList();
        var layerCache = BuildLayerCache.For(request, tags, registry, log);
        var native = new NativeBackend(new NativeBuildOptions
        {
            RemoteLayers = layerCache?.Index,
            Cache = cache, Registry = registry, Compression = request.Compression, PublishLayering = request.PublishLayering,
            Labels = request.Labels, BaseDigestLabel = request.BaseDigestLabel, LocalStore = store, BaseImagesFromLocalStore = request.BaseImagesFromLocalStore, MachineRuntime = machineRuntime, Timestamp = request.Timestamp ?? ReproducibleTimestamp.Parse(host.Get(ReproducibleTimestamp.VariableName)),
        })
        {
            PlatformStarted = p =>
            {
                log.Info($"building {p}");
                host.Progress?.Report(new ProgressEvent(ProgressKind.Step, p.ToString(), Message: $"building {p}"));
            },
        };

        var selection = await new BackendSelector(native, docker, buildah).SelectAsync(request.Backend, NativeEligibility.From(plan), cancellationToken);
        log.Info($"backend: {selection.Kind.ToString().ToLowerInvariant()} ({selection.Reason})");
        CheckDestination(request, inputs, selection, tags, host.StandardOutput);
        if (selection.Kind == BackendKind.Docker) WarnAboutDockerInsecureRegistries(log, clientOptions.InsecureRegistries, plan.PulledImages, tags);
        if (layerCache is not null && selection.Kind == BackendKind.Native) await layerCache.LoadAsync(cancellationToken);
        else layerCache?.NotUsedBy(selection.Kind);

        var built = await selection.Backend.BuildAsync(new BackendBuildRequest
        {
            ContextDirectory = inputs.ContextDirectory, DockerfilePath = inputs.DockerfilePath, Target = request.Target,
            BuildArguments = inputs.Arguments.Values, Labels = request.Labels, Tags = tags.Select(ImageReference.Parse).ToList(),
            Platforms = request.Platforms, Plans = inputs.Plans, PullRegistries = PullRegistries(inputs),
            Output = request.Destination.Kind == ImageDestinationKind.Push ? BackendOutput.Registry : BackendOutput.LocalImage,
        }, cancellationToken);

        var result = new ImageBuildResult { Backend = selection.Kind, BackendReason = selection.Reason, Plan = plan, Tags = tags };
        if (built.Images.Count > 0)
        {
            var written = await BuildOutputWriter.WriteAsync(built.Images, built.Index, request.Destination, tags, LocalStore(host, request),
                () => PushClient(host, credentials, clientOptions), docker, host.StandardOutput, cancellationToken);
            foreach (var message in written.Messages) log.Info(message);
            if (layerCache is not null)
                await layerCache.FinishAsync(() => PushClient(host, credentials, clientOptions),
                    request.Destination.Kind == ImageDestinationKind.Push ? tags.Select(ImageReference.Parse).ToList() : [], cancellationToken);
            return result with
            {
                Images = built.Images.Select(i => new PlatformImage(i.Platform, i.ManifestDigest, i.ConfigDigest, Size(i.Manifest))).ToList(),
                IndexDigest = built.Index?.Digest,
                UploadedBytes = request.Destination.Kind == ImageDestinationKind.Push ? written.UploadedBytes : 0,
                Location = written.Location,
                LayersFromRegistryCache = layerCache?.Index.Found ?? 0,
            };
        }
        return result with
        {
            Images = [await PushedImageAsync(registry, built, request.Platforms.Count > 0 ? request.Platforms[0] : Platform.Current, cancellationToken)],
            Location = request.Destination.Kind == ImageDestinationKind.Push ? $"pushed to {string.Join(", ", tags)}"
                : selection.Kind == BackendKind.Docker ? "the Docker daemon" : "buildah's image store",
        };
    }

    /// <summary>The registries the build pulls from (FROM and COPY --from images of every platform), canonical.</summary>
    internal static IReadOnlyList<string> PullRegistries(ImageBuildInputs inputs) => inputs.Plans
        .SelectMany(p => p.PulledImages)
        .Where(i => !BaseImageLoader.IsLocal(i))
        .Select(i => ImageReference.TryParse(i, out var reference, out _) ? RegistryHost.Canonicalize(reference.Registry) : null)
        .OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    private static bool MachineRuntimeBases(HostContext host, ImageBuildRequest request) =>
        request.MachineRuntimeBases ?? (request.Destination.Kind == ImageDestinationKind.LocalStore
            && (host.Get(Jobs.ContainerCommands.ContainerShims.LocalRegistryVariable) is not null || (host.Get("GITLAB_CI") != "true" && host.Get("CI") != "true")));

    private static void CheckDestination(ImageBuildRequest request, ImageBuildInputs inputs, BackendSelection selection, IReadOnlyList<string> tags, Func<Stream>? standardOutput)
    {
        var destination = request.Destination;
        if (destination.Kind == ImageDestinationKind.Push && tags.Count == 0)
            throw new DockyardException("Pushing needs at least one tag REGISTRY/REPOSITORY:TAG; name the image.") { Setting = Setting.Tag };
        if (destination.Kind == ImageDestinationKind.Location && destination.Location != ImageDestination.DockerDaemon)
        {
            var (kind, path) = BuildOutputWriter.ParseLocation(destination.Location ?? "");
            ImageOutput.Check(kind, path, standardOutput);
        }
        if (selection.Backend.ReturnsImages) return;
        if (inputs.FromPublishDirectory)
            throw new DockyardException($"An image made from a publish directory without a Dockerfile is built by the native backend, not {selection.Kind.ToString().ToLowerInvariant()}; " +
                "choose the native (or auto) backend.") { Setting = Setting.Backend };
        var daemonLoad = destination.Kind == ImageDestinationKind.Location && destination.Location == ImageDestination.DockerDaemon && selection.Kind == BackendKind.Docker;
        if (destination.Kind == ImageDestinationKind.Location && !daemonLoad)
            throw new DockyardException($"The output {destination} is written by the native backend only; the {selection.Kind.ToString().ToLowerInvariant()} backend pushes to the tags' registries " +
                $"or keeps the image in its own store{(selection.Kind == BackendKind.Docker ? $" ({ImageDestination.DockerDaemon})" : "")}.") { Setting = Setting.Output };
    }

    /// <summary>docker reads insecure registries from the daemon's configuration only; say so when others were asked for.</summary>
    private static void WarnAboutDockerInsecureRegistries(BuildLog log, IReadOnlyCollection<string> insecure, IReadOnlyList<string> pulled, IReadOnlyList<string> tags)
    {
        var used = pulled.Concat(tags).Select(i => ImageReference.TryParse(i, out var r, out _) ? RegistryHost.Canonicalize(r.Registry) : null).OfType<string>().ToHashSet();
        var affected = insecure.Select(RegistryHost.Canonicalize).Where(r => used.Contains(r) && !RegistryHost.IsLoopback(r)).Distinct().ToList();
        if (affected.Count > 0)
            log.Warning($"docker backend: {string.Join(", ", affected)} is listed as insecure, but the docker CLI cannot pass that to the daemon; the daemon reaches it insecurely " +
                "only when its own configuration lists it (\"insecure-registries\" in daemon.json). Loopback registries are always allowed.", Setting.InsecureRegistry);
    }

    private static ImageReference ParseTag(string tag) => ImageReference.TryParse(tag, out var reference, out var error) ? reference
        : throw new DockyardException($"The tag '{tag}' is not an image reference ({error}); write REGISTRY/REPOSITORY:TAG.") { Setting = Setting.Tag };

    private static RegistryClientOptions RegistryOptions(HostContext host, ImageBuildRequest request)
    {
        var certificates = new List<string>();
        if (request.CertificateDirectory is { } directory) certificates.Add(host.FullPath(directory));
        certificates.AddRange(RegistryClientOptions.DefaultCertificateDirectories(host.HomeDirectory));
        // registries.conf (CONTAINERS_REGISTRIES_CONF, ~/.config/containers, /etc/containers) remaps base images such as mcr.microsoft.com, as for pulls.
        return new RegistryClientOptions
            {
                InsecureRegistries = request.InsecureRegistries.ToList(), CertificateDirectories = certificates,
                RegistriesConf = Registries.Mirrors.RegistriesConfLoader.Load(host.Variables, host.HomeDirectory),
            }
            .WithEnvironment(host.Variables.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal));
    }

    private static (RegistryClient, TransferProgressForwarder) PushClient(HostContext host, ICredentialProvider credentials, RegistryClientOptions options)
    {
        var counter = new TransferProgressForwarder(host.Progress, countUploads: true);
        return (new RegistryClient(credentials, options with { Progress = counter }), counter);
    }

    /// <summary>The tools run with the host's environment, not the process's.</summary>
    private static Dictionary<string, string?> ToolEnvironment(HostContext host)
    {
        var variables = host.Variables.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal);
        if (host.HomeDirectory is { } home) variables.TryAdd("HOME", home);
        return variables;
    }

    private static string LocalStore(HostContext host, ImageBuildRequest request) =>
        request.LocalStoreDirectory is { } directory ? host.FullPath(directory) : LocalImageStore.ForHost(host).Root;

    private static long Size(Dockyard.Images.ImageManifest manifest) => manifest.Config.Size + manifest.Layers.Sum(l => l.Size);

    /// <summary>What a container backend pushed, read back from the registry (config digest, size); digests only when it kept the image.</summary>
    private static async Task<PlatformImage> PushedImageAsync(RegistryClient registry, BackendBuildResult built, Platform platform, CancellationToken cancellationToken)
    {
        var pushed = built.Pushed.FirstOrDefault(p => p.Digest is not null);
        if (pushed is null) return new PlatformImage(platform, null, null, null);
        var content = await registry.GetManifestAsync(pushed.Reference.WithDigest(pushed.Digest!.Value), cancellationToken);
        if (content.IsIndex) return new PlatformImage(platform, pushed.Digest, null, null);
        var manifest = content.ParseManifest();
        return new PlatformImage(platform, pushed.Digest, Digest.Parse(manifest.Config.Digest), Size(manifest));
    }
}
