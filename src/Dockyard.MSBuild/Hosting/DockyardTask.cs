using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace Dockyard.MSBuild.Hosting;

/// <summary>
/// The base of every Dockyard task: cancellable (Ctrl+C cancels the use case's token), one <see cref="HostContext"/>
/// from the task's environment with the project directory as working directory, the core's log through MSBuild's
/// (masked), and a <see cref="DockyardException"/> as one MSBuild error with its DY code and file(line,col).
/// </summary>
public abstract class DockyardTask : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The project directory: relative paths are resolved against it.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <inheritdoc />
    public void Cancel() => _cancel.Cancel();

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        var host = HostContext.FromProcess().WithWorkingDirectory(ProjectDirectory);
        host = host.WithOutput(new MSBuildLogger(Log, host.Masker), null);
        try
        {
            RunAsync(host, _cancel.Token).GetAwaiter().GetResult();
        }
        catch (DockyardException ex)
        {
            LogDiagnostic(host, ex.ToDiagnostic());
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            Log.LogError(null, DiagnosticCodes.General, null, null, 0, 0, 0, 0, "cancelled");
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Runs the task's use case.</summary>
    protected abstract Task RunAsync(HostContext host, CancellationToken cancellationToken);

    /// <summary>Logs a diagnostic as an MSBuild error or warning at its file, line and column, masked.</summary>
    protected void LogDiagnostic(HostContext host, Diagnostic diagnostic)
    {
        var message = host.Masker.Mask(diagnostic.Help is null ? diagnostic.Message : $"{diagnostic.Message} {diagnostic.Help}");
        if (diagnostic.Setting is { } setting && MSBuildSettingNames.Of(setting) is { } name) message += $" (property: {name})";
        var file = diagnostic.Location?.File is { } f ? host.FullPath(f) : null;
        int line = diagnostic.Location?.Line ?? 0, column = diagnostic.Location?.Column ?? 0;
        if (diagnostic.Severity == DiagnosticSeverity.Error)
            Log.LogError(null, diagnostic.Code, null, file, line, column, 0, 0, "{0}", message);
        else if (diagnostic.Severity == DiagnosticSeverity.Warning)
            Log.LogWarning(null, diagnostic.Code, null, file, line, column, 0, 0, "{0}", message);
        else
            Log.LogMessage(MessageImportance.High, "{0}", message);
    }
}
