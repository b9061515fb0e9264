using System.CommandLine;
using System.Text.Json.Nodes;
using Dockyard.Builders;
using Dockyard.Builders.Planning;
using Dockyard.Diagnostics;
using Dockyard.Cli.Hosting;
using Dockyard.Images;
using Dockyard.Layers;
using Dockyard.UseCases.Build;

namespace Dockyard.Cli.Commands;

/// <summary><c>dockyard build</c>: maps options to an <see cref="ImageBuildRequest"/>, runs <see cref="ImageBuild"/> and prints the result.</summary>
public static class BuildCommand
{
    /// <summary>Creates the <c>build</c> command writing to the given output writers.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(new CliContext(stdout, stderr, interactive: false));

    /// <summary>Creates the <c>build</c> command of the run <paramref name="cli"/>.</summary>
    public static Command Create(CliContext cli)
    {
        var context = new Argument<string>("CONTEXT") { Description = "The build context directory (usually '.')." };
        var file = new Option<string?>("--file", "-f") { Description = "The Dockerfile (default: CONTEXT/Dockerfile; without one, the image is made from --publish-dir and --base-image)." };
        var target = new Option<string?>("--target") { Description = "The stage to build (default: the last)." };
        var buildArgs = new Option<string[]>("--build-arg") { Description = "A build argument KEY=VALUE (or KEY to take it from the environment). Repeatable." };
        var tags = new Option<string[]>("--tag", "-t") { Description = "An image name REGISTRY/REPOSITORY:TAG. Repeatable." };
        var labels = new Option<string[]>("--label") { Description = "A label KEY=VALUE set on the image. Repeatable." };
        var platforms = new Option<string[]>("--platform") { Description = "The target platform os/arch[/variant] (default: this machine's). Repeatable (native: an image index)." };
        var push = new Option<bool>("--push") { Description = "Push the image to the registry of every tag." };
        var output = new Option<string?>("--output", "-o") { Description = "type=registry|oci|oci-archive|docker-archive|docker[,dest=PATH] (default: the local store; --push = type=registry)." };
        var json = new Option<bool>("--json") { Description = "Print the result (digests, tags, sizes, uploaded bytes) as JSON." };
        var backend = new Option<string>("--backend") { Description = "auto|native|docker|buildah (default auto: native when no stage needs a container).", DefaultValueFactory = _ => "auto" };
        var publishDir = new Option<string?>("--publish-dir") { Description = "The output of dotnet publish: for a stage that RUNs dotnet publish -o DIR, or the app of an image built without Dockerfile." };
        var publishProject = new Option<string?>("--publish-project") { Description = "The project the publish directory was built from (default: the only *.csproj in CONTEXT)." };
        var publishConfiguration = new Option<string>("--publish-configuration") { Description = "The configuration the publish directory was built with.", DefaultValueFactory = _ => "Release" };
        var baseImage = new Option<string?>("--base-image") { Description = "Without Dockerfile: the base image of the app (e.g. mcr.microsoft.com/dotnet/runtime:10.0)." };
        var ports = new Option<string[]>("--port") { Description = "Without Dockerfile: a port to expose (8080 or 8080/udp). Repeatable." };
        var env = new Option<string[]>("--env") { Description = "Without Dockerfile: an environment variable KEY=VALUE of the image. Repeatable." };
        var user = new Option<string?>("--user") { Description = "Without Dockerfile: the user (default: the base image's APP_UID, else its user)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (each stage, its backend and why) and build nothing." };
        var insecure = new Option<string[]>("--insecure-registry") { Description = "A registry (host[:port]) that may use plain HTTP. Repeatable." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "The layer cache directory (default: $DOCKYARD_CACHE/layers, else ~/.cache/dockyard/layers)." };
        var cacheFrom = new Option<string[]>("--cache-from") { Description = "An image or layer cache REGISTRY/REPOSITORY:TAG (or type=registry,ref=…) whose layers are reused where the content is the same. Repeatable." };
        var cacheTo = new Option<string?>("--cache-to") { Description = "Record the build's layers as a layer cache at REGISTRY/REPOSITORY:TAG (or type=registry,ref=…)." };
        var cacheRepo = new Option<string?>("--cache-repo") { Description = "A repository for the layer cache, read and written (tag dockyard-layer-cache), as kaniko's --cache-repo." };
        var zstd = new Option<bool>("--zstd") { Description = "Compress new layers with zstd instead of gzip (OCI format only)." };
        var singlePublishLayer = new Option<bool>("--single-publish-layer")
        { Description = "Copy the publish directory as one layer (default: NuGet/runtime dependencies in one layer, the app's own files on top)." };
        var command = new Command("build", "Build an image from a Dockerfile (natively when no stage needs a container) or from a publish directory, and store, push or write it.");
        command.Arguments.Add(context);
        foreach (var option in new Option[] { file, target, buildArgs, tags, labels, platforms, push, output, json, backend, publishDir, publishProject, publishConfiguration,
                     baseImage, ports, env, user, dryRun, insecure, zstd, singlePublishLayer, cacheDir, cacheFrom, cacheTo, cacheRepo })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => cli.RunAsync(async () =>
        {
            var request = new ImageBuildRequest
            {
                ContextDirectory = parse.GetValue(context), Dockerfile = parse.GetValue(file), Target = parse.GetValue(target),
                BuildArguments = parse.GetValue(buildArgs) ?? [], Tags = parse.GetValue(tags) ?? [], Labels = Pairs(parse.GetValue(labels), "--label"),
                Platforms = (parse.GetValue(platforms) ?? []).Select(ParsePlatform).ToList(),
                Destination = Destination(parse.GetValue(push), parse.GetValue(output)), Backend = ParseBackend(parse.GetValue(backend)!),
                PublishDirectory = parse.GetValue(publishDir), PublishProject = parse.GetValue(publishProject), PublishConfiguration = parse.GetValue(publishConfiguration)!,
                PublishLayering = new PublishLayeringOptions { SingleLayer = parse.GetValue(singlePublishLayer) },
                App = new ContainerAppSettings { BaseImage = parse.GetValue(baseImage), Ports = parse.GetValue(ports) ?? [], Environment = Pairs(parse.GetValue(env), "--env"), User = parse.GetValue(user) },
                Compression = parse.GetValue(zstd) ? LayerCompression.Zstd : LayerCompression.Gzip, CacheDirectory = parse.GetValue(cacheDir),
                InsecureRegistries = parse.GetValue(insecure) ?? [], PlanOnly = parse.GetValue(dryRun),
                CacheFrom = parse.GetValue(cacheFrom) ?? [], CacheTo = parse.GetValue(cacheTo), CacheRepository = parse.GetValue(cacheRepo),
            };
            var result = parse.GetValue(dryRun) || parse.GetValue(json)
                ? await ImageBuild.RunAsync(cli.Host(), request, cancellationToken)
                : await ProgressView.RunAsync(cli, progress => ImageBuild.RunAsync(cli.Host(progress), request, cancellationToken));
            // With dest=- the image is standard output: the result lines go to stderr, as docker's do.
            var results = parse.GetValue(output) is { } o && BuildOutput.Parse(o).ToStandardOutput ? cli.Stderr : cli.Stdout;
            if (parse.GetValue(dryRun)) await results.WriteAsync(BuildPlanTextRenderer.Render(result.Plan));
            else if (parse.GetValue(json)) await results.WriteLineAsync(Json(result));
            else foreach (var name in result.Tags.DefaultIfEmpty(result.Location)) await results.WriteLineAsync($"{name}{(result.Digest is { } d ? "@" + d : "")}");
            return 0;
        }));
        return command;
    }

    private static ImageDestination Destination(bool push, string? output)
    {
        if (push && output is not null) throw new DockyardException("--push and --output both say where the image goes; give one of them.") { Setting = Setting.Output };
        if (push) return ImageDestination.Push;
        return output is null ? ImageDestination.LocalStore : BuildOutput.Parse(output).ToDestination();
    }

    private static Dictionary<string, string> Pairs(string[]? items, string option) => (items ?? []).ToDictionary(
        i => i.Contains('=', StringComparison.Ordinal) ? i[..i.IndexOf('=', StringComparison.Ordinal)] : throw new DockyardException($"{option} {i}: write KEY=VALUE."),
        i => i[(i.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);

    private static string Json(ImageBuildResult result) => new JsonObject
    {
        ["backend"] = result.Backend?.ToString().ToLowerInvariant(), ["reason"] = result.BackendReason, ["digest"] = result.Digest?.ToString(),
        ["indexDigest"] = result.IndexDigest?.ToString(), ["tags"] = new JsonArray([.. result.Tags.Select(t => (JsonNode?)t)]),
        ["uploadedBytes"] = result.UploadedBytes, ["layersFromRegistryCache"] = result.LayersFromRegistryCache, ["location"] = result.Location,
        ["images"] = new JsonArray([.. result.Images.Select(i => (JsonNode?)new JsonObject
        {
            ["platform"] = i.Platform.ToString(), ["digest"] = i.ManifestDigest?.ToString(), ["configDigest"] = i.ConfigDigest?.ToString(), ["size"] = i.Size,
        })]),
    }.ToJsonString();

    private static BackendKind ParseBackend(string text) => text switch
    {
        "auto" => BackendKind.Auto,
        "native" => BackendKind.Native,
        "docker" => BackendKind.Docker,
        "buildah" => BackendKind.Buildah,
        _ => throw new DockyardException($"--backend {text}: choose auto, native, docker or buildah.") { Setting = Setting.Backend },
    };

    private static Platform ParsePlatform(string text)
    {
        try { return Platform.Parse(text); }
        catch (FormatException e) { throw new DockyardException(e.Message, e) { Setting = Setting.Platform }; }
    }
}
