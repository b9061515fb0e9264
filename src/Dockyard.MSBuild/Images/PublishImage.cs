using Dockyard.Hosting;
using Dockyard.MSBuild.Hosting;
using Dockyard.UseCases.ProjectImages;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Dockyard.MSBuild.Images;

/// <summary>
/// Builds the project's image from this publish's output and delivers it (<see cref="ProjectImage"/>): maps the SDK's
/// <c>Container*</c> properties and items, logs where the image went, and returns digest, tags and references.
/// </summary>
public sealed class PublishImage : Pipelines.CiTask
{
    /// <summary><c>MSBuildProjectFullPath</c>.</summary>
    [Required] public string ProjectPath { get; set; } = "";
    /// <summary><c>PublishDir</c>.</summary>
    [Required] public string PublishDirectory { get; set; } = "";
    /// <summary><c>AssemblyName</c>.</summary>
    [Required] public string AssemblyName { get; set; } = "";
    /// <summary><c>TargetFramework</c>.</summary>
    public string? TargetFramework { get; set; }
    /// <summary><c>Configuration</c>.</summary>
    public string? Configuration { get; set; }
    /// <summary><c>RuntimeIdentifier</c>.</summary>
    public string? RuntimeIdentifier { get; set; }
    /// <summary><c>ContainerRuntimeIdentifier(s)</c>.</summary>
    public string[] ContainerRuntimeIdentifiers { get; set; } = [];
    /// <summary><c>SelfContained</c> or <c>PublishAot</c>.</summary>
    public bool SelfContained { get; set; }
    /// <summary><c>UsingMicrosoftNETSdkWeb</c>.</summary>
    public bool IsWebProject { get; set; }
    /// <summary><c>Version</c>.</summary>
    public string? Version { get; set; }
    /// <summary><c>NETCoreSdkVersion</c>.</summary>
    public string? SdkVersion { get; set; }
    /// <summary><c>Authors</c>.</summary>
    public string? Authors { get; set; }
    /// <summary><c>ContainerRegistry</c>.</summary>
    public string? ContainerRegistry { get; set; }
    /// <summary><c>ContainerRepository</c>.</summary>
    public string? ContainerRepository { get; set; }
    /// <summary><c>ContainerImageTags</c> (or <c>ContainerImageTag</c>).</summary>
    public string[] ContainerImageTags { get; set; } = [];
    /// <summary><c>ContainerBaseImage</c>.</summary>
    public string? ContainerBaseImage { get; set; }
    /// <summary><c>ContainerFamily</c>.</summary>
    public string? ContainerFamily { get; set; }
    /// <summary><c>ContainerWorkingDirectory</c>.</summary>
    public string? ContainerWorkingDirectory { get; set; }
    /// <summary><c>ContainerAppCommand</c> items.</summary>
    public ITaskItem[] ContainerAppCommand { get; set; } = [];
    /// <summary><c>ContainerAppCommandArgs</c> items.</summary>
    public ITaskItem[] ContainerAppCommandArgs { get; set; } = [];
    /// <summary><c>ContainerDefaultArgs</c> items.</summary>
    public ITaskItem[] ContainerDefaultArgs { get; set; } = [];
    /// <summary><c>ContainerPort</c> items (<c>Type</c> metadata: tcp/udp).</summary>
    public ITaskItem[] ContainerPort { get; set; } = [];
    /// <summary><c>ContainerEnvironmentVariable</c> items (<c>Value</c> metadata).</summary>
    public ITaskItem[] ContainerEnvironmentVariable { get; set; } = [];
    /// <summary><c>ContainerLabel</c> items (<c>Value</c> metadata).</summary>
    public ITaskItem[] ContainerLabel { get; set; } = [];
    /// <summary><c>ContainerGenerateLabels</c>.</summary>
    public bool ContainerGenerateLabels { get; set; } = true;
    /// <summary><c>ContainerUser</c>.</summary>
    public string? ContainerUser { get; set; }
    /// <summary><c>ContainerImageFormat</c>.</summary>
    public string? ContainerImageFormat { get; set; }
    /// <summary><c>ContainerArchiveOutputPath</c>.</summary>
    public string? ContainerArchiveOutputPath { get; set; }
    /// <summary><c>LocalRegistry</c>.</summary>
    public string? LocalRegistry { get; set; }
    /// <summary><c>DockyardDockerfile</c>.</summary>
    public string? Dockerfile { get; set; }
    /// <summary><c>DockyardContext</c>.</summary>
    public string? ContextDirectory { get; set; }
    /// <summary><c>DockyardTarget</c>.</summary>
    public string? Target { get; set; }
    /// <summary><c>DockyardBuildArg</c> items (<c>Value</c> metadata, or NAME=VALUE).</summary>
    public ITaskItem[] BuildArguments { get; set; } = [];
    /// <summary><c>DockyardInsecureRegistries</c>.</summary>
    public string[] InsecureRegistries { get; set; } = [];
    /// <summary><c>DockyardCacheRepository</c>.</summary>
    public string? CacheRepository { get; set; }
    /// <summary><c>DockyardFromPipeline</c>: take tags, target and build arguments from the pipeline job that builds the Dockerfile.</summary>
    public bool FromPipeline { get; set; } = true;

    /// <summary>The image's digest (the index's with several platforms).</summary>
    [Output] public string? GeneratedImageDigest { get; private set; }
    /// <summary>The tags written.</summary>
    [Output] public string[] GeneratedImageTags { get; private set; } = [];
    /// <summary>The SDK's name for the digest.</summary>
    [Output] public string? GeneratedContainerDigest { get; private set; }
    /// <summary>One item per reference written, with <c>Digest</c>, <c>Registry</c>, <c>Repository</c> and <c>Tag</c> metadata.</summary>
    [Output] public ITaskItem[] GeneratedImageReferences { get; private set; } = [];
    /// <summary>Bytes uploaded to the registry.</summary>
    [Output] public long UploadedBytes { get; private set; }

    /// <inheritdoc />
    protected override async Task RunAsync(HostContext host, CancellationToken cancellationToken)
    {
        var result = await ProjectImage.RunAsync(host, new ProjectImageRequest
        {
            ProjectPath = ProjectPath, PublishDirectory = PublishDirectory, AssemblyName = AssemblyName, TargetFramework = TargetFramework,
            Configuration = Configuration is { Length: > 0 } c ? c : "Release", RuntimeIdentifier = RuntimeIdentifier,
            ContainerRuntimeIdentifiers = ContainerRuntimeIdentifiers, SelfContained = SelfContained, IsWebProject = IsWebProject, Version = Version, SdkVersion = SdkVersion, Authors = Authors,
            Registry = ContainerRegistry, Repository = ContainerRepository, Tags = ContainerImageTags, BaseImage = ContainerBaseImage, Family = ContainerFamily,
            WorkingDirectory = ContainerWorkingDirectory, AppCommand = Specs(ContainerAppCommand), AppCommandArguments = Specs(ContainerAppCommandArgs),
            DefaultArguments = Specs(ContainerDefaultArgs),
            Ports = ContainerPort.Select(p => p.GetMetadata("Type") is { Length: > 0 } type ? $"{p.ItemSpec}/{type.ToLowerInvariant()}" : p.ItemSpec).ToList(),
            Environment = Values(ContainerEnvironmentVariable), Labels = Values(ContainerLabel), GenerateLabels = ContainerGenerateLabels, User = ContainerUser,
            ImageFormat = ContainerImageFormat, ArchiveOutputPath = ContainerArchiveOutputPath, LocalRegistry = LocalRegistry, Dockerfile = Dockerfile,
            ContextDirectory = ContextDirectory, Target = Target,
            BuildArguments = BuildArguments.Select(a => a.GetMetadata("Value") is { Length: > 0 } v ? $"{a.ItemSpec}={v}" : a.ItemSpec).ToList(),
            InsecureRegistries = InsecureRegistries, FromPipeline = FromPipeline, PipelineDirectory = CiProjectDirectory, PipelineFile = File,
            PipelineVariables = FromPipeline ? ReadVariables(host) : [], PipelineTrigger = ReadTrigger(), PipelineGitLabUrl = GitLabUrl is { Length: > 0 } url ? url : null,
            CacheRepository = CacheRepository,
        }, cancellationToken);
        foreach (var message in result.Messages) Log.LogMessage(MessageImportance.High, "{0}", host.Masker.Mask(message));
        GeneratedImageDigest = GeneratedContainerDigest = result.Digest?.ToString();
        GeneratedImageTags = [.. result.Tags];
        UploadedBytes = result.Build.UploadedBytes ?? 0;
        GeneratedImageReferences = result.References.Select((reference, i) =>
        {
            var item = new TaskItem(reference);
            item.SetMetadata("Digest", GeneratedImageDigest ?? "");
            item.SetMetadata("Registry", result.Registry ?? "");
            item.SetMetadata("Repository", result.Repository);
            item.SetMetadata("Tag", result.Tags[i]);
            return (ITaskItem)item;
        }).ToArray();
        Log.LogMessage(MessageImportance.High, "{0}", host.Masker.Mask(
            $"{ProjectPathName()} -> {string.Join(", ", result.References)} {GeneratedImageDigest} ({UploadedBytes} bytes uploaded)"));
    }

    private string ProjectPathName() => Path.GetFileNameWithoutExtension(ProjectPath);

    private static List<string> Specs(ITaskItem[] items) => items.Select(i => i.ItemSpec).ToList();

    private static Dictionary<string, string> Values(ITaskItem[] items)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items) values[item.ItemSpec] = item.GetMetadata("Value");
        return values;
    }
}
