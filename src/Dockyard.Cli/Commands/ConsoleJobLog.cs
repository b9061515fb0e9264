using Dockyard.Jobs;
using Dockyard.Jobs.Scheduling;

namespace Dockyard.Cli.Commands;

/// <summary>
/// Writes job logs to a text writer, one whole line at a time under a lock (parallel jobs never interleave within a
/// line), each prefixed with <c>[job]</c> so parallel logs stay readable.
/// </summary>
public sealed class ConsoleJobLog(TextWriter writer, bool prefixed) : IJobLog
{
    private readonly object _gate = new();

    /// <inheritdoc/>
    public void Started(string job) => Write(job, $"Job {job} started");

    /// <inheritdoc/>
    public void Line(string job, string text) => Write(job, text);

    /// <inheritdoc/>
    public void Finished(JobResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Attempts == 0) Write(result.Name, $"Job {result.Name} {result.StatusName}: {result.FailureReason}");
    }

    private void Write(string job, string text)
    {
        lock (_gate)
        {
            writer.WriteLine(prefixed ? $"[{job}] {text}" : text);
            writer.Flush();
        }
    }
}
