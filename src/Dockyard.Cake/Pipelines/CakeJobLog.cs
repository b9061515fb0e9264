using Dockyard.Cake.Hosting;
using Dockyard.Jobs;
using Dockyard.Jobs.Scheduling;

namespace Dockyard.Cake.Pipelines;

/// <summary>A job run's output in Cake's log, each line prefixed with the job's name (already masked by the engine).</summary>
internal sealed class CakeJobLog(CakeLogger logger) : IJobLog
{
    public void Started(string job) => logger.Information($"[{job}] started");

    public void Line(string job, string text) => logger.Information($"[{job}] {text}");

    public void Finished(JobResult result) => logger.Information($"[{result.Name}] {result.StatusName}{(result.FailureReason is { } why ? $": {why}" : "")}");
}
