namespace Dockyard.Jobs.Scheduling;

/// <summary>How a job of a run ended, with GitLab's status names.</summary>
public enum JobStatus
{
    /// <summary>The script succeeded.</summary>
    Success,

    /// <summary>The script failed (see <see cref="JobResult.AllowedToFail"/>).</summary>
    Failed,

    /// <summary>Not run: its <c>when</c> did not match what happened before it.</summary>
    Skipped,

    /// <summary>A <c>when: manual</c> job that was not asked for (<c>--manual</c>).</summary>
    Manual,

    /// <summary>Stopped or never started because the run was canceled.</summary>
    Canceled,
}
