using System.Text;

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

    /// <summary><c>true</c>/<c>false</c>, and the exit codes of <c>allow_failure:exit_codes</c> (<c>false (exit codes 3,4)</c>).</summary>
    public static string AllowFailure(Jobs.Job job) =>
        (job.AllowFailure ? "true" : "false") + (job.AllowFailureExitCodes.Count > 0 ? $" (exit codes {string.Join(",", job.AllowFailureExitCodes)})" : "");
}
