using Dockyard.Diagnostics;

namespace Dockyard.MSBuild.Hosting;

/// <summary>The MSBuild spelling of the core's neutral settings (the SDK's names where they exist).</summary>
internal static class MSBuildSettingNames
{
    public static string? Of(Setting setting) => setting switch
    {
        Setting.Dockerfile => "DockyardDockerfile",
        Setting.Context => "DockyardContext",
        Setting.Target => "DockyardTarget",
        Setting.BuildArgument => "DockyardBuildArg",
        Setting.Tag => "ContainerRepository / ContainerImageTags",
        Setting.Platform => "ContainerRuntimeIdentifier",
        Setting.Output => "ContainerRegistry / LocalRegistry / ContainerArchiveOutputPath",
        Setting.PublishDirectory => "PublishDir",
        Setting.BaseImage => "ContainerBaseImage",
        Setting.InsecureRegistry => "DockyardInsecureRegistries",
        Setting.PipelineFile => "CiFile",
        Setting.Variable => "CiVariable",
        Setting.PushKind => "CiPush",
        Setting.PipelineSource => "CiPipelineSource",
        Setting.MergeRequestTarget => "CiMergeRequestTarget",
        Setting.LayerCache => "DockyardCacheRepository",
        _ => null,
    };
}
