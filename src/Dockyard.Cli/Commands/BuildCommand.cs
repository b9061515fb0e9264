using System.CommandLine;
using Dockyard.Builders;
using Dockyard.Builders.Buildah;
using Dockyard.Builders.Docker;
using Dockyard.Builders.Native;
using Dockyard.Builders.Planning;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Ignore;
using Dockyard.Dockerfiles.Syntax;
using Dockyard.Images;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Registries;
using Dockyard.Registries.References;

namespace Dockyard.Cli.Commands;

/// <summary><c>dockyard build</c>: builds a Dockerfile natively or through a container backend, and pushes or writes the image.</summary>
public static class BuildCommand
{
    /// <summary>Creates the <c>build</c> command writing to the given output writers.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var context = new Argument<string>("CONTEXT") { Description = "The build context directory (usually '.')." };
        var file = new Option<string?>("--file", "-f") { Description = "The Dockerfile (default: CONTEXT/Dockerfile)." };
        var target = new Option<string?>("--target") { Description = "The stage to build (default: the last)." };
        var buildArgs = new Option<string[]>("--build-arg") { Description = "A build argument KEY=VALUE (or KEY to take it from the environment). Repeatable." };
        var tags = new Option<string[]>("--tag", "-t") { Description = "An image name REGISTRY/REPOSITORY:TAG. Repeatable." };
        var platforms = new Option<string[]>("--platform") { Description = "The target platform os/arch[/variant] (default: this machine's)." };
        var output = new Option<string?>("--output", "-o") { Description = "type=registry|oci|oci-archive|docker-archive|docker[,dest=PATH] (default: registry)." };
        var backend = new Option<string>("--backend") { Description = "auto|native|docker|buildah (default auto: native when no stage needs a container).", DefaultValueFactory = _ => "auto" };
        var publishDir = new Option<string?>("--publish-dir") { Description = "The output of dotnet publish, used for a stage that RUNs dotnet publish -o DIR." };
        var publishProject = new Option<string?>("--publish-project") { Description = "The project the publish directory was built from (default: the only *.csproj in CONTEXT)." };
        var publishConfiguration = new Option<string>("--publish-configuration") { Description = "The configuration the publish directory was built with.", DefaultValueFactory = _ => "Release" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (each stage, its backend and why) and build nothing." };
        var insecure = new Option<string[]>("--insecure-registry") { Description = "A registry (host[:port]) that may use plain HTTP. Repeatable." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "The layer cache directory (default: $DOCKYARD_CACHE/layers, else ~/.cache/dockyard/layers)." };
        var zstd = new Option<bool>("--zstd") { Description = "Compress new layers with zstd instead of gzip (OCI format only)." };
        var singlePublishLayer = new Option<bool>("--single-publish-layer")
        { Description = "Copy the publish directory as one layer (default: NuGet/runtime dependencies in one layer, the app's own files on top)." };
        var command = new Command("build", "Build the image a Dockerfile describes, natively (no daemon) when no stage needs a container.");
        command.Arguments.Add(context);
        foreach (var option in new Option[] { file, target, buildArgs, tags, platforms, output, backend, publishDir, publishProject, publishConfiguration, dryRun, insecure, zstd, singlePublishLayer, cacheDir })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var contextDirectory = Path.GetFullPath(parse.GetValue(context)!);
                var dockerfilePath = parse.GetValue(file) is { } f ? Path.GetFullPath(f) : Path.Combine(contextDirectory, "Dockerfile");
                var platformList = (parse.GetValue(platforms) ?? []).Select(Platform.Parse).ToList();
                var platform = platformList.Count > 0 ? platformList[0] : Platform.Current;
                var published = PublishedOutputs(parse.GetValue(publishDir), parse.GetValue(publishProject), parse.GetValue(publishConfiguration)!, contextDirectory);
                var dockerfile = DockerfileParser.ParseFile(dockerfilePath, Path.GetRelativePath(Environment.CurrentDirectory, dockerfilePath));
                BuildPlan PlanFor(Platform p) => BuildPlanner.Plan(dockerfile,
                    new BuildPlanRequest(parse.GetValue(target), BuildArguments.Parse(parse.GetValue(buildArgs) ?? [], p, Platform.Current), published));
                var plan = PlanFor(platform);
                var arguments = BuildArguments.Parse(parse.GetValue(buildArgs) ?? [], platform, Platform.Current);
                if (parse.GetValue(dryRun))
                {
                    await stdout.WriteAsync(BuildPlanTextRenderer.Render(plan));
                    var environment = CredentialEnvironment.FromProcess();
                    var routes = Dockyard.Registries.Mirrors.RegistriesConfLoader.Load(environment.Variables, environment.HomeDirectory);
                    foreach (var image in plan.Stages.Select(s => s.Node.BaseImage).OfType<string>().Distinct(StringComparer.Ordinal)
                                 .Where(i => !i.StartsWith(BaseImageLoader.OciPrefix, StringComparison.Ordinal) && !i.StartsWith(BaseImageLoader.DockerArchivePrefix, StringComparison.Ordinal)))
                        if (ImageReference.TryParse(image, out var baseReference, out _) && routes.DescribePull(baseReference) is { } route)
                            await stdout.WriteLineAsync($"pull {baseReference}: {route}");
                    return 0;
                }
                var destination = BuildOutput.Parse(parse.GetValue(output));
                var tagList = parse.GetValue(tags) ?? [];
                var process = CredentialEnvironment.FromProcess();
                var clientOptions = new RegistryClientOptions
                    {
                        InsecureRegistries = parse.GetValue(insecure) ?? [],
                        RegistriesConf = Dockyard.Registries.Mirrors.RegistriesConfLoader.Load(process.Variables, process.HomeDirectory),
                    }
                    .WithEnvironment(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value));
                var outputRegistry = tagList.Select(t => ImageReference.TryParse(t, out var r, out _) ? r.Registry : null).FirstOrDefault(r => r is not null);
                var credentials = new CredentialChain(new CredentialChainOptions { OutputRegistry = outputRegistry }, process);
                var docker = new DockerCliBackend(credentials, new DockerCliOptions());
                var selector = new BackendSelector(docker, new BuildahBackend(credentials, new BuildahOptions()));
                var selection = await selector.SelectAsync(ParseBackend(parse.GetValue(backend)!), NativeEligibility.From(plan), cancellationToken);
                await stderr.WriteLineAsync($"backend: {selection.Kind.ToString().ToLowerInvariant()} ({selection.Reason})");
                if (selection.Backend is { } container)
                {
                    var result = await container.BuildAsync(new BackendBuildRequest
                    {
                        ContextDirectory = contextDirectory, DockerfilePath = dockerfilePath, Target = parse.GetValue(target),
                        BuildArguments = arguments.Values, Tags = tagList.Select(ImageReference.Parse).ToList(), Platforms = platformList,
                        Output = destination.Kind == BuildOutputKind.Registry ? BackendOutput.Registry : destination.Kind == BuildOutputKind.Docker ? BackendOutput.LocalImage
                            : throw new DockyardException($"--output type={destination.Type} is written by the native builder only; container backends push (type=registry) or load (type=docker)."),
                    }, cancellationToken);
                    foreach (var pushed in result.Pushed) await stdout.WriteLineAsync($"{pushed.Reference}{(pushed.Digest is { } d ? "@" + d : "")}");
                    return 0;
                }
                using var registry = new RegistryClient(credentials, clientOptions);
                var cache = parse.GetValue(cacheDir) is { } cachePath ? new LayerCache(cachePath) : LayerCache.ForCurrentUser();
                var builder = new NativeImageBuilder(new NativeBuildOptions
                {
                    Cache = cache, Registry = registry, Log = new LineLog(stderr), Compression = parse.GetValue(zstd) ? LayerCompression.Zstd : LayerCompression.Gzip,
                    PublishLayering = new PublishLayeringOptions { SingleLayer = parse.GetValue(singlePublishLayer) },
                });
                var buildContext = BuildContext.Open(contextDirectory, dockerfilePath);
                var images = new List<Image>();
                foreach (var p in platformList.Count > 1 ? platformList : [platform])
                {
                    await stderr.WriteLineAsync($"building {p}");
                    images.Add(await builder.BuildAsync(p == platform ? plan : PlanFor(p), buildContext, cancellationToken));
                }
                var index = images.Count > 1 ? MultiPlatformImage.Create(images) : null;
                ImageContent content = index is null ? images[0] : index;
                var digest = index?.Digest ?? images[0].ManifestDigest;
                if (destination.Kind == BuildOutputKind.Registry)
                {
                    if (index is null) await ImagePublisher.PushAsync(images[0], registry, tagList, cancellationToken);
                    else await ImagePublisher.PushIndexAsync(index, registry, tagList, cancellationToken);
                    foreach (var tag in tagList) await stdout.WriteLineAsync($"{tag}@{digest}");
                }
                else if (destination.Kind == BuildOutputKind.Docker)
                {
                    // Load into the local daemon: a docker archive in a private temp file, then `docker load`.
                    var archiveDirectory = Directory.CreateTempSubdirectory("dockyard-load-");
                    try
                    {
                        var archive = Path.Combine(archiveDirectory.FullName, "image.tar");
                        await ImageOutput.WriteAsync(ImageOutputKind.DockerArchive, archive, content, tagList, cancellationToken);
                        foreach (var line in await docker.LoadAsync(archive, cancellationToken)) await stderr.WriteLineAsync(line);
                    }
                    finally
                    {
                        archiveDirectory.Delete(recursive: true);
                    }
                    await stdout.WriteLineAsync(tagList.Length == 0 ? $"{images[0].ConfigDigest}" : string.Join('\n', tagList.Select(t => $"{t}@{digest}")));
                }
                else
                {
                    var kind = ImageOutput.ParseKind(destination.Type);
                    await ImageOutput.WriteAsync(kind, destination.Destination!, content, tagList, cancellationToken);
                    await stdout.WriteLineAsync($"{destination.Destination}@{digest}");
                }
                return 0;
            }
            catch (DockyardException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static BackendKind ParseBackend(string text) => text switch
    {
        "auto" => BackendKind.Auto,
        "native" => BackendKind.Native,
        "docker" => BackendKind.Docker,
        "buildah" => BackendKind.Buildah,
        _ => throw new DockyardException($"--backend {text}: choose auto, native, docker or buildah."),
    };

    private static List<PublishedOutput> PublishedOutputs(string? directory, string? project, string configuration, string contextDirectory)
    {
        if (directory is null) return [];
        if (!Directory.Exists(directory)) throw new DockyardException($"--publish-dir {directory}: not a directory; pass the output directory of dotnet publish.");
        if (project is null)
        {
            var projects = Directory.GetFiles(contextDirectory, "*.csproj", SearchOption.AllDirectories);
            project = projects.Length == 1 ? projects[0]
                : throw new DockyardException($"--publish-dir: the context holds {projects.Length} projects; name the one the publish directory was built from with --publish-project.");
        }
        return [new PublishedOutput(Path.GetFullPath(directory), project, configuration)];
    }

    /// <summary>Writes each progress line at once, in order (unlike <see cref="Progress{T}"/>, which posts).</summary>
    private sealed class LineLog(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
