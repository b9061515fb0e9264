using Dockyard.Builders;
using Dockyard.Builders.Planning;
using Dockyard.Diagnostics;
using Dockyard.UseCases;
using Dockyard.UseCases.Build;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary>
/// <c>docker build</c> (and its buildx, buildah and podman spellings) through the ImageBuild use case into the job's
/// store, or pushed with <c>--push</c>. A Dockerfile whose target needs a container (a <c>RUN</c> line) goes to the real
/// tool when one can run it, else fails naming the Dockyard line that needs it.
/// </summary>
internal static class BuildHandler
{
    public static async Task<int> RunAsync(ContainerJob job, BuildCommand build, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var outputs = build.Outputs.Select(o => BuildOutputSpec.Parse(build.Tool, o)).ToList();
        var request = Request(job, build);
        if (request.Destination.Kind == ImageDestinationKind.Push && outputs.Any(o => o.Location is not null))
            throw new DockyardException($"{build.Tool} build: pushing (--push or type=registry) and writing a file (-o type=docker|oci,dest=…) in one line is not carried out natively; " +
                $"build with -o dest=… (or --load), then push with a '{build.Tool} push' line.") { Setting = Setting.Output };
        var plan = await PlanAsync(job.Host, request, cancellationToken).ConfigureAwait(false);
        if (!plan.IsNative)
            return await ExternalHandler.RunAsync(job, build.Tool, arguments, ContainerReasons(plan), cancellationToken).ConfigureAwait(false);
        var result = await BuildAsync(job, job.Host, build, request, cancellationToken).ConfigureAwait(false);
        var id = result.IndexDigest ?? (result.Images.Count > 0 ? result.Images[0].ConfigDigest : null);
        if (build.IidFile is { } iid && id is not null) await File.WriteAllTextAsync(job.Host.FullPath(iid), id.ToString(), cancellationToken).ConfigureAwait(false);
        if (id is not null) job.Output.WriteLine($"Successfully built {id.Value.Hex[..12]}");
        foreach (var tag in result.Tags) job.Output.WriteLine(request.Destination.Kind == ImageDestinationKind.Push ? $"Successfully pushed {tag}" : $"Successfully tagged {tag}");
        foreach (var output in outputs.Where(o => o.Location is not null))
        {
            await ImageCopy.RunAsync(job.Host, new ImageCopyRequest
            {
                Source = "local:" + result.Tags[0], Destination = output.Location!, AllPlatforms = true,
                AdditionalTags = output.Location!.StartsWith("docker-archive:", StringComparison.Ordinal) ? result.Tags.Skip(1).ToList() : [], LocalStoreDirectory = job.Store.Root,
            }, cancellationToken).ConfigureAwait(false);
            job.Note($"{build.Tool} build: wrote {output.Location}");
        }
        if (build.MetadataFile is { } metadata) await WriteMetadataAsync(job.Host.FullPath(metadata), result, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>buildx's <c>--metadata-file</c>: the digests and names of what was built.</summary>
    private static Task WriteMetadataAsync(string path, ImageBuildResult result, CancellationToken cancellationToken)
    {
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["containerimage.digest"] = result.Digest?.ToString(),
            ["image.name"] = string.Join(',', result.Tags),
        };
        if (result.IndexDigest is null && result.Images.Count == 1 && result.Images[0].ConfigDigest is { } config) json["containerimage.config.digest"] = config.ToString();
        return File.WriteAllTextAsync(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), cancellationToken);
    }

    /// <summary>A silent planning pass: whether the build is native (the build itself then says the plan's warnings, once).</summary>
    internal static async Task<BuildPlan> PlanAsync(Hosting.HostContext host, ImageBuildRequest request, CancellationToken cancellationToken)
    {
        var quiet = host.WithOutput(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, null);
        return (await ImageBuild.RunAsync(quiet, request with { PlanOnly = true }, cancellationToken).ConfigureAwait(false)).Plan;
    }

    /// <summary>What a non-native plan needs, for the message of the line that cannot run natively.</summary>
    internal static string ContainerReasons(BuildPlan plan) =>
        "a container for " + string.Join("; ", plan.ContainerReasons.DefaultIfEmpty("a stage of the Dockerfile"));

    /// <summary>Says the notes of <paramref name="build"/>'s accepted options, then builds through the ImageBuild use case.</summary>
    internal static async Task<ImageBuildResult> BuildAsync(ContainerJob job, Hosting.HostContext host, BuildCommand build, ImageBuildRequest request, CancellationToken cancellationToken)
    {
        foreach (var note in Notes(build)) job.Note(note);
        return await ImageBuild.RunAsync(host, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The use case's request for <paramref name="build"/>: native backend, the job's store and logins.</summary>
    internal static ImageBuildRequest Request(ContainerJob job, BuildCommand build) => RequestOf(build) with
    {
        // In a local run, $CI_REGISTRY is the local image store: no registry to read a layer cache from.
        CacheFrom = build.CacheFrom.Where(c => job.LocalRegistry is not { } local || !c.Contains(local, StringComparison.OrdinalIgnoreCase)).ToList(),
        CacheTo = build.CacheTo is { } to && job.LocalRegistry is { } registry && to.Contains(registry, StringComparison.OrdinalIgnoreCase) ? null : build.CacheTo,
        LocalStoreDirectory = job.Store.Root,
        BaseImagesFromLocalStore = !build.Pull,
        Credentials = job.Credentials.All(),
        Tools = job.Tools,
    };

    /// <summary>
    /// What the build line asks for, as the use case's request (native backend; no store or logins yet): the one mapping
    /// the job's build and <c>ci plan</c> share. A line the native build cannot take is a <see cref="DockyardException"/>.
    /// </summary>
    internal static ImageBuildRequest RequestOf(BuildCommand build)
    {
        if (build.Dockerfile == "-" || build.Context == "-")
            throw new DockyardException($"{build.Tool} build: a Dockerfile or context from standard input ('-') is not supported natively; write the Dockerfile to a file and give its path with -f.") { Setting = Setting.Dockerfile };
        var push = build.Push || build.Outputs.Any(o => BuildOutputSpec.Parse(build.Tool, o).Push);
        if (!push && build.Tags.Count == 0)
            throw new DockyardException($"{build.Tool} build: give the image a name with -t NAME:TAG, so that the job's later tag and push lines can find it.") { Setting = Setting.Tag };
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in build.Labels) labels[key] = value;
        return new ImageBuildRequest
        {
            ContextDirectory = build.Context,
            Dockerfile = build.Dockerfile,
            Target = build.Target,
            BuildArguments = build.BuildArgs.Select(a => a.Value is null ? a.Key : $"{a.Key}={a.Value}").ToList(),
            Labels = labels,
            Tags = build.Tags,
            Platforms = build.Platforms.Select(p => ImageCopy.PlatformOf(p)!).ToList(),
            Destination = push ? ImageDestination.Push : ImageDestination.LocalStore,
            Backend = BackendKind.Native,
            CacheFrom = build.CacheFrom,
            CacheTo = build.CacheTo,
        };
    }

    /// <summary>What Dockyard does differently for options it accepts: said once, on standard error.</summary>
    internal static IEnumerable<string> Notes(BuildCommand build)
    {
        foreach (var option in build.IgnoredOptions)
            yield return option.StartsWith("--provenance", StringComparison.Ordinal) || option.StartsWith("--sbom", StringComparison.Ordinal)
                ? $"{option}: accepted and ignored (Dockyard writes no provenance or SBOM attestations)"
                : $"{option}: accepted; it changes nothing for Dockyard's builder";
        if (build.NoCache) yield return "--no-cache: accepted; layers are still reused by content digest, which gives the same image";
        if (build.Pull) yield return "--pull: base images come from their registry, not from the job's images";
        if (build.Load) yield return "--load: the image is in the job's images, as docker's --load puts it in the daemon";
        foreach (var option in build.SecretsAndSsh.Distinct())
            yield return $"{option}: accepted; the native build runs no RUN line that could use it (a stage that RUNs with --mount=type=secret or ssh is built by a container builder)";
    }
}
