using Dockyard.Hosting;
using Dockyard.UseCases.Build;

namespace Dockyard.UseCases.ProjectImages;

/// <summary>
/// "Make this project's image after <c>dotnet publish</c>", the use case behind MSBuild's <c>PublishImage</c>: with a
/// Dockerfile next to the project (or <see cref="ProjectImageRequest.Dockerfile"/>) it is built with this publish
/// output standing for its <c>RUN dotnet publish -o</c> stage; without one, the SDK's <c>PublishContainer</c> layout
/// on the SDK's default base image. Destination and tags as <see cref="ImageTarget"/> decides. The build itself is
/// <see cref="ImageBuild.RunAsync"/>.
/// </summary>
public static class ProjectImage
{
    /// <summary>Generated label: the version of the project.</summary>
    public const string VersionLabel = "org.opencontainers.image.version";

    /// <summary>Generated label: the base image without a Dockerfile.</summary>
    public const string BaseNameLabel = "org.opencontainers.image.base.name";

    /// <summary>Generated label: the source repository (GitLab CI's <c>CI_PROJECT_URL</c>).</summary>
    public const string SourceLabel = "org.opencontainers.image.source";

    /// <summary>Generated label: the commit (GitLab CI's <c>CI_COMMIT_SHA</c>).</summary>
    public const string RevisionLabel = "org.opencontainers.image.revision";

    /// <summary>The generated label with the SDK's version.</summary>
    public const string SdkVersionLabel = "net.dot.sdk.version";

    /// <summary>The generated label with the target framework's major.minor.</summary>
    public const string RuntimeLabel = "net.dot.runtime.majorminor";

    /// <summary>The generated label with the project's authors.</summary>
    public const string AuthorsLabel = "org.opencontainers.image.authors";

    /// <summary>Builds the project's image and delivers it.</summary>
    /// <exception cref="Diagnostics.DockyardException">Bad input or environment: the message names where and what to do.</exception>
    public static async Task<ProjectImageResult> RunAsync(HostContext host, ProjectImageRequest request, CancellationToken cancellationToken = default)
    {
        var build = Plan(host, request, out var target, out var dockerfile, out var baseImage, out var job);
        var result = await ImageBuild.RunAsync(host, build, cancellationToken);
        return new ProjectImageResult
        {
            Build = result, References = target.References, Registry = target.Registry, Repository = target.Repository, Tags = target.Tags,
            BaseImage = baseImage, Dockerfile = dockerfile, PipelineJob = job?.Shown,
            Messages = [.. target.Messages, dockerfile is null ? $"built from the publish output on {baseImage}" : $"built from {dockerfile} with this publish output as its dotnet publish stage"],
        };
    }

    /// <summary>The build request for <paramref name="request"/> (what <see cref="RunAsync"/> hands to <see cref="ImageBuild"/>).</summary>
    internal static ImageBuildRequest Plan(HostContext host, ProjectImageRequest request, out ImageTarget target, out string? dockerfile, out string? baseImage,
        out PipelineImageJob? job)
    {
        var project = host.FullPath(request.ProjectPath);
        var projectDirectory = Path.GetDirectoryName(project)!;
        dockerfile = request.Dockerfile is { Length: > 0 } named ? Path.GetFullPath(named, projectDirectory)
            : File.Exists(Path.Combine(projectDirectory, "Dockerfile")) ? Path.Combine(projectDirectory, "Dockerfile") : null;
        var pipelineMessages = new List<string>();
        job = dockerfile is not null && request.FromPipeline ? PipelineImageJob.Find(host, request, projectDirectory, dockerfile, pipelineMessages) : null;
        target = ImageTarget.Decide(host, request, job);
        if (job is not null) target = target with { Messages = [.. pipelineMessages, .. job.Messages, .. FromJob(request, job), .. target.Messages] };
        else if (pipelineMessages.Count > 0) target = target with { Messages = [.. pipelineMessages, .. target.Messages] };
        var labels = GeneratedLabels(host, request);
        var insecure = request.InsecureRegistries
            .Concat((host.Get("DOTNET_CONTAINER_INSECURE_REGISTRIES") ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var common = new ImageBuildRequest
        {
            Tags = target.References, Destination = target.Destination, Platforms = SdkContainerDefaults.Platforms(request),
            PublishDirectory = Path.GetFullPath(request.PublishDirectory, projectDirectory), PublishProject = project, PublishConfiguration = request.Configuration,
            InsecureRegistries = insecure, CacheRepository = request.CacheRepository is { Length: > 0 } cache ? cache : null,
        };
        if (dockerfile is not null)
        {
            baseImage = null;
            foreach (var (name, value) in request.Labels) labels[name] = value;
            return common with
            {
                Dockerfile = dockerfile,
                ContextDirectory = request.ContextDirectory is { Length: > 0 } c ? Path.GetFullPath(c, projectDirectory) : job?.ContextDirectory ?? Path.GetDirectoryName(dockerfile),
                Target = request.Target is { Length: > 0 } ? request.Target : job?.Target, BuildArguments = BuildArguments(request, job), Labels = labels,
            };
        }
        baseImage = request.BaseImage is { Length: > 0 } given ? given : SdkContainerDefaults.BaseImage(request);
        labels[BaseNameLabel] = baseImage;
        foreach (var (name, value) in request.Labels) labels[name] = value;
        var workdir = request.WorkingDirectory is { Length: > 0 } w ? w : "/app";
        return common with
        {
            ContextDirectory = common.PublishDirectory, Labels = labels, BaseDigestLabel = request.GenerateLabels,
            App = new ContainerAppSettings
            {
                BaseImage = baseImage, WorkingDirectory = workdir, User = request.User is { Length: > 0 } u ? u : null,
                Ports = request.Ports.Count > 0 ? request.Ports : SdkContainerDefaults.InferredPorts(request.Environment),
                Environment = request.Environment, Entrypoint = Entrypoint(request, common.PublishDirectory!, workdir), Arguments = request.DefaultArguments,
            },
        };
    }

    /// <summary>What was taken from <paramref name="job"/>, and which of the project's own settings win over it.</summary>
    private static IEnumerable<string> FromJob(ProjectImageRequest request, PipelineImageJob job)
    {
        yield return $"tags, target and build arguments from pipeline job {job.Shown}";
        if (request.Target is { Length: > 0 } target && job.Target is { } jobTarget && jobTarget != target)
            yield return $"DockyardTarget {target} wins over --target {jobTarget} of pipeline job {job.Name} (set in the project)";
        var names = request.BuildArguments.Select(ArgumentName).ToHashSet(StringComparer.Ordinal);
        var overridden = job.BuildArguments.Select(ArgumentName).Where(names.Contains).ToList();
        if (overridden.Count > 0)
            yield return $"DockyardBuildArg {string.Join(", ", overridden)} win over the --build-arg of pipeline job {job.Name} (set in the project)";
        if (request.ContextDirectory is not { Length: > 0 } && job.ContextDirectory is { } context)
            yield return $"build context {context}, as pipeline job {job.Name} builds it";
    }

    /// <summary>The job's build arguments, then the project's <c>DockyardBuildArg</c>s, which win by name.</summary>
    private static List<string> BuildArguments(ProjectImageRequest request, PipelineImageJob? job)
    {
        if (job is null) return [.. request.BuildArguments];
        var names = request.BuildArguments.Select(ArgumentName).ToHashSet(StringComparer.Ordinal);
        return [.. job.BuildArguments.Where(a => !names.Contains(ArgumentName(a))), .. request.BuildArguments];
    }

    private static string ArgumentName(string argument) => argument.Split('=', 2)[0];

    /// <summary>
    /// <c>ContainerAppCommand</c> + <c>ContainerAppCommandArgs</c>; by default the SDK's command: the app host only for a
    /// self-contained app, else <c>dotnet WORKDIR/NAME.dll</c> (Microsoft.NET.Build.Containers.targets).
    /// </summary>
    private static IReadOnlyList<string> Entrypoint(ProjectImageRequest request, string publishDirectory, string workdir)
    {
        if (request.AppCommand.Count > 0) return [.. request.AppCommand, .. request.AppCommandArguments];
        return [.. PublishedApp.Find(publishDirectory).Command(workdir, useAppHost: request.SelfContained), .. request.AppCommandArguments];
    }

    /// <summary>
    /// The labels the SDK generates that do not break reproducibility: not <c>org.opencontainers.image.created</c> or
    /// <c>org.opencontainers.artifact.created</c> (times). <c>org.opencontainers.image.base.digest</c> is set by the build
    /// once the base is resolved (<see cref="ImageBuildRequest.BaseDigestLabel"/>), without a Dockerfile only, as the SDK.
    /// </summary>
    private static Dictionary<string, string> GeneratedLabels(HostContext host, ProjectImageRequest request)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!request.GenerateLabels) return labels;
        if (request.Version is { Length: > 0 } version) labels[VersionLabel] = version;
        if (request.Authors is { Length: > 0 } authors) labels[AuthorsLabel] = authors;
        if (request.SdkVersion is { Length: > 0 } sdk) labels[SdkVersionLabel] = sdk;
        if (request.TargetFramework is { } tfm && System.Text.RegularExpressions.Regex.Match(tfm, @"^net(\d+\.\d+)") is { Success: true } match)
            labels[RuntimeLabel] = match.Groups[1].Value;
        if (host.Get("CI_PROJECT_URL") is { } source) labels[SourceLabel] = source;
        if (host.Get("CI_COMMIT_SHA") is { } revision) labels[RevisionLabel] = revision;
        return labels;
    }
}
