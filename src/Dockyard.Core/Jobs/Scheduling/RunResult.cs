namespace Dockyard.Jobs.Scheduling;

/// <summary>The outcome of a run: every job's result in start order and whether the run failed.</summary>
/// <param name="Jobs">The results, in the order the jobs were planned.</param>
/// <param name="Duration">The run's wall time.</param>
public sealed record RunResult(IReadOnlyList<JobResult> Jobs, TimeSpan Duration)
{
    /// <summary>True when a job failed without being allowed to, or the run was canceled.</summary>
    public bool Failed => Jobs.Any(j => j.FailsPipeline);

    /// <summary>The process exit code for the run: 0, or 1 when it failed.</summary>
    public int ExitCode => Failed ? 1 : 0;
}
