namespace Dockyard.Jobs.Scheduling;

/// <summary>The outcome of a run: every job's result in start order and whether the run failed.</summary>
/// <param name="Jobs">The results, in the order the jobs were planned.</param>
/// <param name="Duration">The run's wall time.</param>
public sealed record RunResult(IReadOnlyList<JobResult> Jobs, TimeSpan Duration)
{
    /// <summary>The exit code of a run (and of a listing) for which GitLab would create no pipeline: not an error (1).</summary>
    public const int NoPipelineExitCode = 2;

    /// <summary>Why GitLab would create no pipeline, so that nothing ran (<c>Pipeline.NoPipelineReason</c>); null otherwise.</summary>
    public string? NoPipelineReason { get; init; }

    /// <summary>True when a job failed without being allowed to, or the run was canceled.</summary>
    public bool Failed => Jobs.Any(j => j.FailsPipeline);

    /// <summary>The process exit code for the run: 0, 1 when it failed, <see cref="NoPipelineExitCode"/> when there was no pipeline.</summary>
    public int ExitCode => NoPipelineReason is not null ? NoPipelineExitCode : Failed ? 1 : 0;
}
