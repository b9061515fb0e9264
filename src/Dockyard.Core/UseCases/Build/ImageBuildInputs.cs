using Dockyard.Builders.Native;
using Dockyard.Builders.Planning;
using Dockyard.Builders.Sdk;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Model;
using Dockyard.Dockerfiles.Syntax;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Processes;

namespace Dockyard.UseCases.Build;

/// <summary>
/// A request resolved against the host: the context, the Dockerfile (read, or synthesised from a publish directory),
/// the publish directories, the build arguments and the plan for each platform.
/// </summary>
/// <param name="ContextDirectory">The absolute build context.</param>
/// <param name="DockerfilePath">The Dockerfile on disk, <c>null</c> when it was synthesised from a publish directory.</param>
/// <param name="Published">The publish directories the plans may use.</param>
/// <param name="Arguments">The build arguments (first platform's).</param>
/// <param name="Plans">One plan per platform, in request order (one for this machine's platform when none was given).</param>
internal sealed record ImageBuildInputs(string ContextDirectory, string? DockerfilePath, IReadOnlyList<PublishedOutput> Published,
    BuildArguments Arguments, IReadOnlyList<BuildPlan> Plans)
{
    /// <summary>Whether the Dockerfile was synthesised from a publish directory (no Dockerfile given or found).</summary>
    public bool FromPublishDirectory => DockerfilePath is null;

    /// <summary>Reads or synthesises the Dockerfile and plans every platform.</summary>
    /// <param name="host">The front's host.</param>
    /// <param name="request">The request.</param>
    /// <param name="bases">Loads the base image's config when the image is made from a publish directory.</param>
    /// <param name="cancellationToken">Cancels the base image look-up.</param>
    /// <exception cref="DockyardException">A missing context, Dockerfile or publish directory, or a Dockerfile error.</exception>
    public static async Task<ImageBuildInputs> PrepareAsync(HostContext host, ImageBuildRequest request, BaseImageLoader bases, CancellationToken cancellationToken)
    {
        var publishDirectory = request.PublishDirectory is { } p ? host.FullPath(p) : null;
        var context = host.FullPath(request.ContextDirectory ?? publishDirectory ?? ".");
        if (!Directory.Exists(context))
            throw new DockyardException($"The build context '{context}' is not a directory; give an existing directory as the build context.") { Setting = Setting.Context };
        var dockerfilePath = request.Dockerfile is { } d ? host.FullPath(d) : Path.Combine(context, "Dockerfile");
        var platforms = request.Platforms.Count > 0 ? request.Platforms : [Platform.Current];
        var arguments = ArgumentsFor(host, request, platforms[0]);

        Dockerfile dockerfile;
        IReadOnlyList<PublishedOutput> published;
        if (File.Exists(dockerfilePath))
        {
            dockerfile = DockerfileParser.ParseFile(dockerfilePath, Path.GetRelativePath(host.WorkingDirectory, dockerfilePath));
            published = publishDirectory is null ? [] : [new PublishedOutput(PublishDirectoryOf(publishDirectory), Project(host, request, context), request.PublishConfiguration)];
        }
        else if (request.Dockerfile is null && publishDirectory is not null)
        {
            if (request.Backend is Builders.BackendKind.Docker or Builders.BackendKind.Buildah)
                throw new DockyardException($"'{context}' has no Dockerfile, so the image is made from the publish directory by the native backend, not " +
                    $"{request.Backend.ToString().ToLowerInvariant()}; choose the native (or auto) backend, or give a Dockerfile.") { Setting = Setting.Backend };
            var app = PublishedApp.Find(publishDirectory);
            var project = request.PublishProject is { } named ? Path.GetFileName(named) : app.Name + ".csproj";
            var baseImage = request.App.BaseImage
                ?? throw new DockyardException($"'{context}' has no Dockerfile, so the image is made from the publish directory '{publishDirectory}' and needs a base image " +
                    "(e.g. mcr.microsoft.com/dotnet/runtime:10.0); give one, or give a Dockerfile.") { Setting = Setting.BaseImage };
            var baseConfig = (await bases.LoadAsync(baseImage, platforms[0], "the base image", cancellationToken)).Config;
            var text = PublishContainerDockerfile.Create(request.App, app, project, request.PublishConfiguration, baseConfig);
            dockerfile = DockerfileParser.Parse(text, PublishContainerDockerfile.FileName);
            published = [new PublishedOutput(publishDirectory, project, request.PublishConfiguration)];
            dockerfilePath = null;
        }
        else
        {
            throw new DockyardException($"The Dockerfile '{dockerfilePath}' does not exist; give the path of the Dockerfile" +
                (request.Dockerfile is null ? ", or a publish directory and a base image to build without one." : ".")) { Setting = Setting.Dockerfile };
        }

        List<BuildPlan> PlanAll() => platforms.Select(platform => BuildPlanner.Plan(dockerfile,
            new BuildPlanRequest(request.Target, platform == platforms[0] ? arguments : ArgumentsFor(host, request, platform), published))).ToList();
        var plans = PlanAll();
        PrivateDirectory? workspace = null;
        if (dockerfilePath is not null && publishDirectory is null && !plans[0].IsNative && request.Backend is not (Builders.BackendKind.Docker or Builders.BackendKind.Buildah)
            && BuildPlanner.Replaceable(plans[0]).Count > 0 && await SdkStagePublisher.FindAsync(host, cancellationToken) is { } sdk)
        {
            workspace = request.PlanOnly ? null : PrivateDirectory.Create("sdk-publish");
            try
            {
                var outputs = await SdkStagePublisher.PublishAsync(host, sdk, plans[0], context, dockerfilePath, workspace, cancellationToken);
                if (outputs.Count > 0)
                {
                    published = outputs;
                    plans = PlanAll();
                }
            }
            catch
            {
                workspace?.Dispose();
                throw;
            }
        }
        return new ImageBuildInputs(context, dockerfilePath, published, arguments, plans) { SdkWorkspace = workspace };
    }

    /// <summary>The private directory holding what this machine's SDK published for the build; deleted when the build is done.</summary>
    public PrivateDirectory? SdkWorkspace { get; init; }

    private static BuildArguments ArgumentsFor(HostContext host, ImageBuildRequest request, Platform platform) =>
        BuildArguments.Parse(request.BuildArguments, platform, Platform.Current, host.Get);

    private static string PublishDirectoryOf(string directory) => Directory.Exists(directory) ? directory
        : throw new DockyardException($"The publish directory '{directory}' is not a directory; give the output directory of dotnet publish.") { Setting = Setting.PublishDirectory };

    private static string Project(HostContext host, ImageBuildRequest request, string context)
    {
        if (request.PublishProject is { } project) return host.FullPath(project);
        var projects = Directory.GetFiles(context, "*.csproj", SearchOption.AllDirectories);
        return projects.Length == 1 ? projects[0]
            : throw new DockyardException($"The build context '{context}' holds {projects.Length} projects; name the one the publish directory was built from.")
                { Setting = Setting.PublishProject };
    }
}
