namespace Dockyard.Jobs.Scheduling;

/// <summary>The outcome of one job of a run.</summary>
/// <param name="Name">The job's name.</param>
/// <param name="Stage">Its stage.</param>
/// <param name="Status">How it ended.</param>
/// <param name="AllowedToFail">True when it failed but <c>allow_failure</c> (or its exit code) lets the pipeline pass.</param>
/// <param name="ExitCode">The script's exit code, or null when it did not run or was killed by a timeout.</param>
/// <param name="Duration">The wall time of every attempt.</param>
/// <param name="Attempts">How many times it ran (more than 1 after <c>retry</c>).</param>
/// <param name="FailureReason">GitLab's failure reason (<c>script_failure</c>, <c>job_execution_timeout</c>, …), or why it was skipped; null on success.</param>
public sealed record JobResult(string Name, string Stage, JobStatus Status, bool AllowedToFail, int? ExitCode, TimeSpan Duration, int Attempts, string? FailureReason)
{
    /// <summary>GitLab's status word (<c>success</c>, <c>failed</c>, <c>skipped</c>, <c>manual</c>, <c>canceled</c>).</summary>
    public string StatusName => Status.ToString().ToLowerInvariant();

    /// <summary>True when the job makes the pipeline fail.</summary>
    public bool FailsPipeline => Status == JobStatus.Canceled || (Status == JobStatus.Failed && !AllowedToFail);
}
