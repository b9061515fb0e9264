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
        finally
        {
            LogLoadedPackageAssemblies();
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// At low importance (<c>-v:detailed</c>): the assemblies of the package's task directory loaded so far, with their
    /// versions, and the process (the task host): which YamlDotNet or Polly this task really ran with.
    /// </summary>
    private void LogLoadedPackageAssemblies()
    {
        var directory = Path.GetDirectoryName(typeof(DockyardTask).Assembly.Location);
        if (string.IsNullOrEmpty(directory)) return;
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0 && string.Equals(Path.GetDirectoryName(a.Location), directory, StringComparison.Ordinal))
            .Select(a => a.GetName()).Select(n => $"{n.Name} {n.Version}").Order(StringComparer.Ordinal);
        Log.LogMessage(MessageImportance.Low, "Dockyard.MSBuild loaded from {0} in process {1}: {2}", directory, Environment.ProcessId, string.Join(", ", loaded));
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
