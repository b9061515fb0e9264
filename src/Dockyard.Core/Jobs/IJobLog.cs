using Dockyard.Jobs.Scheduling;

namespace Dockyard.Jobs;

/// <summary>Receives what a run prints: every (masked) line of each job's log, and when jobs start and end.</summary>
public interface IJobLog
{
    /// <summary>A job has started.</summary>
    void Started(string job);

    /// <summary>One line of a job's log, already masked.</summary>
    void Line(string job, string text);

    /// <summary>A job has ended (or was skipped without starting).</summary>
    void Finished(JobResult result);
}
