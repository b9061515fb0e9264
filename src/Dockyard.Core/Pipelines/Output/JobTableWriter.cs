using System.Text;
using Dockyard.Pipelines.Downstream;

namespace Dockyard.Pipelines.Output;

/// <summary>
/// Writes the jobs as an aligned text table: name, stage, when, allow_failure, needs; when GitLab would create no
/// pipeline, every job shows <c>never</c> and a last line says why.
/// </summary>
public static class JobTableWriter
{
    /// <summary>The table text, one line per job after a header.</summary>
    public static string Write(Pipeline pipeline)
    {
        var rows = new List<string[]> { new[] { "name", "stage", "when", "allow_failure", "needs" } };
        foreach (var job in pipeline.Jobs)
            rows.Add([job.Name, job.Stage, pipeline.NoPipelineReason is null ? job.When : "never", AllowFailure(job),
                job.Needs is null ? "" : "[" + string.Join(",", job.Needs.Select(n => n.Job)) + "]"]);
        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (int c = 0; c < row.Length; c++)
                line.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        if (pipeline.NoPipelineReason is { } reason) text.Append($"no pipeline: {reason}; no job runs.\n");
        return text.ToString();
    }

    /// <summary>
    /// The table of <paramref name="pipeline"/>, then for each trigger job what it starts: a child pipeline's own table
    /// (nested children after it), or one line for a configuration made at run time or a multi-project pipeline.
    /// </summary>
    public static string Write(Pipeline pipeline, IReadOnlyList<DownstreamPipeline> downstream)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        var text = new StringBuilder(Write(pipeline));
        void Append(IReadOnlyList<DownstreamPipeline> items, string prefix)
        {
            foreach (var item in items)
            {
                var trigger = prefix + item.Trigger.Name;
                text.Append('\n');
                if (item.Pipeline is not { } child)
                {
                    text.Append($"'{trigger}' starts a {item.Description}.\n");
                    continue;
                }
                var forwarded = item.Forwarded.Count == 0 ? "" : $"; variables passed on: {string.Join(", ", item.Forwarded.Keys)}";
                text.Append($"'{trigger}' starts a {item.Description}{forwarded}:\n");
                text.Append(Write(child));
                Append(item.Downstream, trigger + " > ");
            }
        }
        Append(downstream, "");
        return text.ToString();
    }

    /// <summary><c>true</c>/<c>false</c>, and the exit codes of <c>allow_failure:exit_codes</c> (<c>false (exit codes 3,4)</c>).</summary>
    public static string AllowFailure(Jobs.Job job) =>
        (job.AllowFailure ? "true" : "false") + (job.AllowFailureExitCodes.Count > 0 ? $" (exit codes {string.Join(",", job.AllowFailureExitCodes)})" : "");
}
