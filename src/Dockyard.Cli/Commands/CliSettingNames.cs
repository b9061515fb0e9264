using Dockyard.Diagnostics;

namespace Dockyard.Cli.Commands;

/// <summary>The CLI's spelling of the core's neutral <see cref="Setting"/> names, shown after an error that names one.</summary>
public static class CliSettingNames
{
    /// <summary>The option (or argument) that sets <paramref name="setting"/> in <c>dockyard build</c>.</summary>
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
        Setting.Credentials => "dockyard auth",
        Setting.CacheDirectory => "--cache-dir",
        _ => setting.ToString(),
    };

    /// <summary>The error line the CLI prints: <c>error DY####:</c>, the message, then the option to change when the error names one.</summary>
    public static string ErrorLine(DockyardException error) =>
        error.Setting is { } setting ? $"error {error.Code}: {error.Message} (option: {For(setting)})" : $"error {error.Code}: {error.Message}";
}
