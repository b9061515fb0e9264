using Dockyard.Diagnostics;

namespace Dockyard.Cli.Hosting;

/// <summary>The CLI's spelling of each neutral <see cref="Setting"/>.</summary>
public static class OptionNames
{
    /// <summary>The option (or argument) that sets <paramref name="setting"/>.</summary>
    public static string For(Setting setting) => setting switch
    {
        Setting.Context => "CONTEXT",
        Setting.Dockerfile => "--file",
        Setting.Target => "--target",
        Setting.BuildArgument => "--build-arg",
        Setting.Tag => "--tag",
        Setting.Platform => "--platform",
        Setting.Output => "--output / --push",
        Setting.Backend => "--backend",
        Setting.PublishDirectory => "--publish-dir",
        Setting.PublishProject => "--publish-project",
        Setting.BaseImage => "--base-image",
        Setting.InsecureRegistry => "--insecure-registry",
        Setting.Credentials => "--username/--password-stdin",
        Setting.PipelineFile => "--file",
        Setting.Variable => "--variable",
        Setting.CacheDirectory => "--cache-dir",
        Setting.PushKind => "--push",
        Setting.PipelineSource => "--pipeline-source",
        Setting.MergeRequestTarget => "--merge-request-target",
        Setting.LayerCache => "--cache-from / --cache-to / --cache-repo",
        _ => setting.ToString(),
    };
}
