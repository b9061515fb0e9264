using System.Text;
using System.Text.Json;
using Dockyard.Pipelines.Downstream;
using Dockyard.Pipelines.Jobs;

namespace Dockyard.Pipelines.Output;

/// <summary>
/// Writes the jobs as gitlab-ci-local's <c>--list-json</c> does: <c>name</c>, <c>stage</c>, <c>when</c>,
/// <c>allow_failure</c>, <c>needs</c> (<c>{job, artifacts, optional}</c>, or null without needs). Needs on other
/// pipelines or projects (<c>needs:pipeline</c>, <c>needs:project</c>) are not dependencies inside this pipeline and are left out.
/// <c>allow_failure:exit_codes</c> is <c>"allow_failure": false</c> plus <c>"allow_failure_criteria": {"exit_codes": [..]}</c>,
/// as GitLab stores it. When GitLab would create no pipeline the array becomes
/// <c>{"pipeline": false, "reason": "...", "jobs": [...]}</c> with every job <c>"when": "never"</c> (its own outcome in <c>rules_when</c>).
/// </summary>
public static class ListJsonWriter
{
    /// <summary>The JSON text (indented, UTF-8, non-ASCII kept).</summary>
    public static string Write(Pipeline pipeline)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (pipeline.NoPipelineReason is { } reason)
            {
                json.WriteStartObject();
                json.WriteBoolean("pipeline", false);
                json.WriteString("reason", reason);
                json.WriteStartArray("jobs");
                foreach (var job in pipeline.Jobs) WriteJob(json, job, created: false);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                json.WriteStartArray();
                foreach (var job in pipeline.Jobs) WriteJob(json, job, created: true);
                json.WriteEndArray();
            }
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The pipeline with what its trigger jobs start (<c>ci list --all</c>): <c>{"jobs": [...], "downstream": [{"trigger",
    /// "kind": "child"|"dynamic"|"multi-project", "strategy", "files", "variables" (names only), "jobs", "downstream"}, ...]}</c>.
    /// </summary>
    public static string Write(Pipeline pipeline, IReadOnlyList<DownstreamPipeline> downstream)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(downstream);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteTree(json, pipeline, downstream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTree(Utf8JsonWriter json, Pipeline pipeline, IReadOnlyList<DownstreamPipeline> downstream)
    {
        json.WriteStartObject();
        if (pipeline.NoPipelineReason is { } reason)
        {
            json.WriteBoolean("pipeline", false);
            json.WriteString("reason", reason);
        }
        json.WriteStartArray("jobs");
        foreach (var job in pipeline.Jobs) WriteJob(json, job, created: pipeline.NoPipelineReason is null);
        json.WriteEndArray();
        json.WriteStartArray("downstream");
        foreach (var item in downstream)
        {
            json.WriteStartObject();
            json.WriteString("trigger", item.Trigger.Name);
            json.WriteString("kind", item.Spec.Project is not null ? "multi-project" : item.Pipeline is null ? "dynamic" : "child");
            if (item.Spec.Strategy is { } strategy) json.WriteString("strategy", strategy);
            else json.WriteNull("strategy");
            json.WriteString("description", item.Description);
            if (item.Spec.Project is { } project)
            {
                json.WriteString("project", project);
                if (item.Spec.Branch is { } branch) json.WriteString("branch", branch);
            }
            json.WriteStartArray("variables");
            foreach (var name in item.Forwarded.Keys) json.WriteStringValue(name);
            json.WriteEndArray();
            if (item.Pipeline is { } child)
            {
                json.WriteStartArray("files");
                foreach (var file in child.Files) json.WriteStringValue(file);
                json.WriteEndArray();
                json.WritePropertyName("pipeline");
                WriteTree(json, child, item.Downstream);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteJob(Utf8JsonWriter json, Job job, bool created)
    {
        json.WriteStartObject();
        json.WriteString("name", job.Name);
        json.WriteString("stage", job.Stage);
        json.WriteString("when", created ? job.When : "never");
        if (!created) json.WriteString("rules_when", job.When);
        json.WriteBoolean("allow_failure", job.AllowFailure);
        if (job.AllowFailureExitCodes.Count > 0)
        {
            json.WriteStartObject("allow_failure_criteria");
            json.WriteStartArray("exit_codes");
            foreach (var code in job.AllowFailureExitCodes) json.WriteNumberValue(code);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        if (job.Needs is null) json.WriteNull("needs");
        else
        {
            json.WriteStartArray("needs");
            foreach (var need in job.Needs.Where(n => n.Pipeline is null && n.Project is null))
            {
                json.WriteStartObject();
                json.WriteString("job", need.Job);
                json.WriteBoolean("artifacts", need.Artifacts);
                json.WriteBoolean("optional", need.Optional);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }
}
