using Dockyard.Jobs.Scheduling;

namespace Dockyard.Jobs.Downstream;

/// <summary>A child pipeline's log: its job names start with the trigger job's (<c>trigger &gt; job</c>).</summary>
internal sealed class PrefixedJobLog(IJobLog inner, string prefix) : IJobLog
{
    /// <summary>The text before each job name.</summary>
    public string Prefix => prefix;

    public void Started(string job) => inner.Started(prefix + job);

    public void Line(string job, string text) => inner.Line(prefix + job, text);

    public void Finished(JobResult result) => inner.Finished(result with { Name = prefix + result.Name });
}
