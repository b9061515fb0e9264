using Dockyard.Jobs;
using Dockyard.Jobs.Scheduling;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dockyard.MSBuild.Pipelines;

/// <summary>A job run's output as high-importance MSBuild messages, each prefixed with the job's name (already masked by the engine).</summary>
internal sealed class MSBuildJobLog(TaskLoggingHelper log) : IJobLog
{
    public void Started(string job) => log.LogMessage(MessageImportance.High, "[{0}] started", job);

    public void Line(string job, string text) => log.LogMessage(MessageImportance.High, "[{0}] {1}", job, text);

    public void Finished(JobResult result) =>
        log.LogMessage(MessageImportance.High, "[{0}] {1}{2}", result.Name, result.StatusName, result.FailureReason is { } why ? $": {why}" : "");
}
