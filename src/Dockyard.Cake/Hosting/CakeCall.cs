using Cake.Core;
using Dockyard.Diagnostics;
using Dockyard.Hosting;

namespace Dockyard.Cake.Hosting;

/// <summary>
/// Runs a use case for an alias: the session's host, a token that SIGINT/SIGTERM cancel while it runs
/// (<see cref="CallCancellation"/>), and a <see cref="DockyardException"/> or the cancellation as a <see cref="CakeException"/>.
/// </summary>
internal static class CakeCall
{
    public static T Run<T>(ICakeContext context, Func<HostContext, DockyardSession, CancellationToken, Task<T>> useCase)
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = DockyardSession.Of(context);
        using var cancellation = new CallCancellation();
        try
        {
            return useCase(session.Host(context), session, cancellation.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (cancellation.Signal is { } signal && ex is OperationCanceledException or DockyardException)
        {
            throw new CakeException(session.Masker.Mask($"Dockyard: cancelled by {signal}; the running operation stopped before it finished " +
                "(a push tags an image only once all of it is in the registry, so no tag names a partial image)."));
        }
        catch (DockyardException ex)
        {
            throw new CakeException(session.Masker.Mask($"error {ex.Code}: {ex.Message}{SettingHint(ex.Setting)}"));
        }
    }

    /// <summary>Cake's spelling of a neutral setting, after a message that names the setting to change.</summary>
    private static string SettingHint(Setting? setting) => setting switch
    {
        Setting.Context => " (setting: DockyardBuild's path)",
        Setting.Dockerfile => " (setting: DockyardBuildSettings.File)",
        Setting.Target => " (setting: DockyardBuildSettings.Target)",
        Setting.BuildArgument => " (setting: DockyardBuildSettings.BuildArg)",
        Setting.Tag => " (setting: DockyardBuildSettings.Tag)",
        Setting.Platform => " (setting: DockyardBuildSettings.Platform)",
        Setting.Output => " (setting: DockyardBuildSettings.Output / Push)",
        Setting.Backend => " (setting: DockyardBuildSettings.Backend)",
        Setting.PublishDirectory => " (setting: DockyardBuildSettings.PublishDirectory)",
        Setting.PublishProject => " (setting: DockyardBuildSettings.PublishProject)",
        Setting.Credentials => " (setting: DockyardLogin)",
        Setting.PipelineFile => " (setting: GitLabPipelineSettings.File)",
        Setting.Variable => " (setting: Variables)",
        Setting.PushKind => " (setting: GitLabPipelineSettings.Push)",
        Setting.PipelineSource => " (setting: GitLabPipelineSettings.PipelineSource)",
        Setting.MergeRequestTarget => " (setting: GitLabPipelineSettings.MergeRequestTarget)",
        Setting.LayerCache => " (setting: DockyardBuildSettings.CacheFrom / CacheTo)",
        _ => "",
    };
}
