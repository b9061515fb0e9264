namespace Dockyard.UseCases.ProjectImages;

/// <summary>
/// What a build tool knows about a project when its image is made after <c>dotnet publish</c>: the project, its
/// publish output, and the .NET SDK's <c>Container*</c> values as the user set them (unset = <c>null</c>/empty; the
/// defaults are decided by <see cref="ProjectImage"/>, not by the front).
/// </summary>
public sealed record ProjectImageRequest
{
    /// <summary>The project file (<c>MSBuildProjectFullPath</c>).</summary>
    public required string ProjectPath { get; init; }

    /// <summary>The publish output directory (<c>PublishDir</c>).</summary>
    public required string PublishDirectory { get; init; }

    /// <summary>The assembly name (<c>AssemblyName</c>): the default repository and the app's file name.</summary>
    public required string AssemblyName { get; init; }

    /// <summary>The target framework (<c>TargetFramework</c>, e.g. <c>net10.0</c>): the default base image's tag.</summary>
    public string? TargetFramework { get; init; }

    /// <summary>The configuration published (<c>Configuration</c>).</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>The project's runtime identifier (<c>RuntimeIdentifier</c>), when it publishes for one.</summary>
    public string? RuntimeIdentifier { get; init; }

    /// <summary><c>ContainerRuntimeIdentifier(s)</c>: the image's platforms as RIDs (several give an index).</summary>
    public IReadOnlyList<string> ContainerRuntimeIdentifiers { get; init; } = [];

    /// <summary>Whether the publish is self-contained (<c>SelfContained</c>, or native AOT).</summary>
    public bool SelfContained { get; init; }

    /// <summary>Whether the project is an ASP.NET Core app (<c>UsingMicrosoftNETSdkWeb</c>).</summary>
    public bool IsWebProject { get; init; }

    /// <summary>The project's version (<c>Version</c>), for the generated <c>org.opencontainers.image.version</c> label.</summary>
    public string? Version { get; init; }

    /// <summary>The SDK's version (<c>NETCoreSdkVersion</c>), for the generated <c>net.dot.sdk.version</c> label.</summary>
    public string? SdkVersion { get; init; }

    /// <summary>The project's <c>Authors</c>, for the generated <c>org.opencontainers.image.authors</c> label.</summary>
    public string? Authors { get; init; }

    /// <summary><c>ContainerRegistry</c>: push here.</summary>
    public string? Registry { get; init; }

    /// <summary><c>ContainerRepository</c>.</summary>
    public string? Repository { get; init; }

    /// <summary><c>ContainerImageTags</c> (or the single <c>ContainerImageTag</c>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>ContainerBaseImage</c>.</summary>
    public string? BaseImage { get; init; }

    /// <summary><c>ContainerFamily</c> (e.g. <c>noble-chiseled</c>), appended to the default base image's tag.</summary>
    public string? Family { get; init; }

    /// <summary><c>ContainerWorkingDirectory</c> (default <c>/app</c>).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary><c>ContainerAppCommand</c> items: the entrypoint; empty = the SDK's default for the published app.</summary>
    public IReadOnlyList<string> AppCommand { get; init; } = [];

    /// <summary><c>ContainerAppCommandArgs</c> items: appended to the entrypoint.</summary>
    public IReadOnlyList<string> AppCommandArguments { get; init; } = [];

    /// <summary><c>ContainerDefaultArgs</c> items: the image's <c>CMD</c>.</summary>
    public IReadOnlyList<string> DefaultArguments { get; init; } = [];

    /// <summary><c>ContainerPort</c> items: <c>8080</c> or <c>8080/udp</c>.</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];

    /// <summary><c>ContainerEnvironmentVariable</c> items.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>ContainerLabel</c> items (they win over the generated labels).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the generated OCI labels are added (<c>ContainerGenerateLabels</c>, default on).</summary>
    public bool GenerateLabels { get; init; } = true;

    /// <summary><c>ContainerUser</c>.</summary>
    public string? User { get; init; }

    /// <summary><c>ContainerImageFormat</c>: <c>Docker</c> or <c>OCI</c>; only the archive's kind follows it.</summary>
    public string? ImageFormat { get; init; }

    /// <summary><c>ContainerArchiveOutputPath</c>: write an archive (a file, or a directory for <c>REPOSITORY.tar.gz</c>) instead of pushing.</summary>
    public string? ArchiveOutputPath { get; init; }

    /// <summary><c>LocalRegistry</c>: <c>Docker</c> loads the image into the Docker daemon when no registry is set.</summary>
    public string? LocalRegistry { get; init; }

    /// <summary><c>DockyardDockerfile</c>: the Dockerfile; <c>null</c> = <c>Dockerfile</c> next to the project when it exists.</summary>
    public string? Dockerfile { get; init; }

    /// <summary><c>DockyardContext</c>: the build context of a Dockerfile (default: the Dockerfile's directory).</summary>
    public string? ContextDirectory { get; init; }

    /// <summary><c>DockyardTarget</c>: the Dockerfile stage to build (default: the last).</summary>
    public string? Target { get; init; }

    /// <summary><c>DockyardBuildArg</c> items: <c>NAME=VALUE</c>.</summary>
    public IReadOnlyList<string> BuildArguments { get; init; } = [];

    /// <summary><c>DockyardInsecureRegistries</c> (and the SDK's <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c>).</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary><c>DockyardCacheRepository</c>: a repository holding the registry layer cache (read and written).</summary>
    public string? CacheRepository { get; init; }

    /// <summary>
    /// <c>DockyardFromPipeline</c> (default on): with a Dockerfile, take the tags, target and build arguments of the
    /// pipeline job that builds it (<see cref="ProjectImage"/>); explicit tags, repository, registry, target and build
    /// arguments still win.
    /// </summary>
    public bool FromPipeline { get; init; } = true;

    /// <summary><c>CiProjectDirectory</c>: the checkout holding the pipeline file; <c>null</c> = the first directory from the project's upward that holds it.</summary>
    public string? PipelineDirectory { get; init; }

    /// <summary><c>CiFile</c>: the pipeline file (default <c>.gitlab-ci.yml</c>).</summary>
    public string? PipelineFile { get; init; }

    /// <summary><c>CiVariable</c> items and <c>CiVariablesFile</c>: variables the pipeline is read with (as a run's).</summary>
    public IReadOnlyList<Jobs.Variables.JobVariable> PipelineVariables { get; init; } = [];

    /// <summary>How the pipeline the job is looked up in was started (<c>CiPush</c>, <c>CiPipelineSource</c>, ...).</summary>
    public Pipelines.Triggers.PipelineTrigger PipelineTrigger { get; init; } = Pipelines.Triggers.PipelineTrigger.Default;

    /// <summary><c>CiGitLabUrl</c>: the GitLab instance the pipeline's non-local includes come from (<c>null</c> = <c>CI_SERVER_URL</c>).</summary>
    public string? PipelineGitLabUrl { get; init; }
}
