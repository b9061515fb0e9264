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
            var line = new StringBuilder();
            for (int c = 0; c < row.Length; c++)
                line.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        if (!pipeline.Created) text.Append("(workflow:rules prevent this pipeline from being created)\n");
        return text.ToString();
    }
}
