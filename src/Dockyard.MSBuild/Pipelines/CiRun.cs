using Dockyard.Hosting;
using Dockyard.Jobs;
using Dockyard.Jobs.Scheduling;
using Dockyard.MSBuild.Hosting;
using Microsoft.Build.Framework;

namespace Dockyard.MSBuild.Pipelines;

/// <summary>
/// Runs jobs of the repository's <c>.gitlab-ci.yml</c> with the job engine, as <c>dockyard ci run</c> does: the
/// named <see cref="Jobs"/>, a <see cref="Stage"/>, or the whole <see cref="Pipeline"/>; a failed job fails the task.
/// </summary>
public sealed class CiRun : CiTask
{
    /// <summary>The jobs to run (<c>-p:CiJob=A;B</c>).</summary>
    public string[] Jobs { get; set; } = [];
    /// <summary>A stage to run (<c>-p:CiStage=NAME</c>).</summary>
    public string? Stage { get; set; }
    /// <summary>Run the whole pipeline.</summary>
    public bool Pipeline { get; set; }
    /// <summary><c>CiExecutor</c>: <c>shell</c>, <c>docker</c> or empty for auto.</summary>
    public string? Executor { get; set; }

    // The package's own dockyard CLI (tasks/net10.0/cli/), run by the dotnet host that runs MSBuild: the job's
    // docker/buildah/podman/kaniko shims call it, so Docker-in-Docker jobs run natively as under 'dockyard ci run'.
    private static IReadOnlyList<string>? PackagedCli() =>
        Path.GetDirectoryName(typeof(CiRun).Assembly.Location) is { Length: > 0 } tasks
            ? BundledCli.At(Path.Combine(tasks, "cli", "dockyard.dll"), Environment.ProcessPath)
            : null;

    /// <inheritdoc />
    protected override async Task RunAsync(HostContext host, CancellationToken cancellationToken)
    {
        var variables = ReadVariables(host);
        var options = new JobRunOptions
        {
            ProjectDirectory = CiProjectDirectory is { Length: > 0 } d ? d : ".",
            File = File is { Length: > 0 } f ? f : ".gitlab-ci.yml",
            Trigger = ReadTrigger(),
            GitLabUrl = GitLabUrl is { Length: > 0 } url ? url : null,
            Variables = variables,
            Executor = Executor?.ToLowerInvariant() switch { "shell" => ExecutorKind.Shell, "docker" => ExecutorKind.Docker, _ => ExecutorKind.Auto },
            Concurrency = 1,
            DockyardCommand = PackagedCli(),
            Selection = new RunSelection { Jobs = Jobs, Stage = Stage is { Length: > 0 } s ? s : null, Pipeline = Pipeline },
        };
        var result = await new JobEngine(host).RunAsync(options, new MSBuildJobLog(Log), cancellationToken);
        if (result.NoPipelineReason is { } reason) Log.LogMessage(MessageImportance.High, "no pipeline: {0}", reason);
        if (result.Failed)
            Log.LogError(null, Diagnostics.DiagnosticCodes.Job, null, null, 0, 0, 0, 0, "{0}",
                $"GitLab job failed: {string.Join(", ", result.Jobs.Where(j => j.FailsPipeline).Select(j => $"{j.Name} {j.StatusName}"))}");
    }
}
