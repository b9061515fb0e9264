using Dockyard.Cli.Hosting;
using Dockyard.Diagnostics;

namespace Dockyard.Cli.Commands;

/// <summary>The CLI's spelling of the core's neutral <see cref="Setting"/> names (kept for callers; <see cref="OptionNames"/> holds the table).</summary>
public static class CliSettingNames
{
    /// <summary>The option (or argument) that sets <paramref name="setting"/>.</summary>
    public static string For(Setting setting) => OptionNames.For(setting);

    /// <summary>The error line the CLI prints (<see cref="ErrorReport"/>'s form): code, message, then the option to change when the error names one.</summary>
    public static string ErrorLine(DockyardException error) => $"error {error.Code}: {error.Message}{ErrorReport.SettingHint(error.Setting)}";
}
