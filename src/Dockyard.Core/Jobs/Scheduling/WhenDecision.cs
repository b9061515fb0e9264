namespace Dockyard.Jobs.Scheduling;

/// <summary>
/// Decides, once what a job waits for has ended, whether it runs, as GitLab's pipeline processing does: the waited-for
/// jobs' composite status (a failure that is allowed counts as success, a manual job that may fail is ignored, a
/// blocking manual job blocks) must be one its <c>when</c> accepts: <c>on_success</c>/<c>manual</c>/<c>delayed</c>
/// need success (or, without <c>needs</c>, skipped too), <c>on_failure</c> needs failed, <c>always</c> anything but canceled.
/// </summary>
public static class WhenDecision
{
    /// <summary>Null when the job runs; otherwise the status it gets and why.</summary>
    public static (JobStatus Status, string Reason)? Decide(PlannedJob planned, IReadOnlyList<JobResult> waitedFor)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(waitedFor);
        var blocking = waitedFor.FirstOrDefault(r => r.Status == JobStatus.Manual && !r.AllowedToFail);
        if (blocking is not null) return (JobStatus.Skipped, $"blocked by manual job {blocking.Name}");
        var composite = Composite(waitedFor);
        if (composite == "canceled") return (JobStatus.Canceled, "the run was canceled");
        var when = planned.Job.When;
        var accepted = when switch
        {
            "on_failure" => composite == "failed",
            "always" => true,
            _ => composite == "success" || (composite == "skipped" && !planned.IsDag),
        };
        if (accepted && when == "manual" && !planned.Triggered) return (JobStatus.Manual, "when: manual (run it with --manual)");
        return accepted ? null : (JobStatus.Skipped, $"when: {when} and the jobs before it {(composite == "failed" ? "failed" : composite == "skipped" ? "were skipped" : "succeeded")}");
    }

    /// <summary>GitLab's composite status of finished jobs: <c>failed</c>, <c>canceled</c>, <c>skipped</c> or <c>success</c>.</summary>
    public static string Composite(IReadOnlyList<JobResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var counted = results.Where(r => r.Status != JobStatus.Manual).ToList();
        if (counted.Any(r => r.Status == JobStatus.Failed && !r.AllowedToFail)) return "failed";
        if (counted.Any(r => r.Status == JobStatus.Canceled)) return "canceled";
        if (counted.Count > 0 && counted.All(r => r.Status == JobStatus.Skipped)) return "skipped";
        return "success";
    }
}
