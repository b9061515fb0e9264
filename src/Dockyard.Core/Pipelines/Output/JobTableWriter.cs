using System.Text;

namespace Dockyard.Pipelines.Output;

/// <summary>Writes the jobs as an aligned text table: name, stage, when, allow_failure, needs.</summary>
public static class JobTableWriter
{
    /// <summary>The table text, one line per job after a header.</summary>
    public static string Write(Pipeline pipeline)
    {
        var rows = new List<string[]> { new[] { "name", "stage", "when", "allow_failure", "needs" } };
        foreach (var job in pipeline.Jobs)
            rows.Add([job.Name, job.Stage, job.When, job.AllowFailure ? "true" : "false",
                job.Needs is null ? "" : "[" + string.Join(",", job.Needs.Select(n => n.Job)) + "]"]);
        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                if (c == row.Length - 1) text.Append(row[c]);
                else text.Append(row[c].PadRight(widths[c] + 2));
            }
            text.Append(row[^1].Length == 0 ? "" : "").Append('\n');
        }
        if (!pipeline.Created) text.Append("(workflow:rules prevent this pipeline from being created)\n");
        return text.ToString().Replace(" \n", "\n", StringComparison.Ordinal);
    }
}
