using System.Text.Json;
using Dockyard.Jobs.Scheduling;

namespace Dockyard.Jobs.Reports;

/// <summary>The <c>--report FILE</c> JSON: the summary table's content, one object per job.</summary>
public static class RunReportWriter
{
    /// <summary>The report of <paramref name="result"/> as indented JSON.</summary>
    public static string Write(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("status", result.NoPipelineReason is not null ? "no_pipeline" : result.Failed ? "failed" : "success");
            if (result.NoPipelineReason is { } noPipeline) json.WriteString("reason", noPipeline);
            json.WriteNumber("duration_seconds", Math.Round(result.Duration.TotalSeconds, 3));
            json.WriteStartArray("jobs");
            foreach (var job in result.Jobs)
            {
                json.WriteStartObject();
                json.WriteString("name", job.Name);
                json.WriteString("stage", job.Stage);
                json.WriteString("status", job.StatusName);
                json.WriteBoolean("allow_failure", job.AllowedToFail);
                json.WriteNumber("duration_seconds", Math.Round(job.Duration.TotalSeconds, 3));
                if (job.ExitCode is { } code) json.WriteNumber("exit_code", code);
                else json.WriteNull("exit_code");
                json.WriteNumber("attempts", job.Attempts);
                if (job.FailureReason is { } reason) json.WriteString("reason", reason);
                else json.WriteNull("reason");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
