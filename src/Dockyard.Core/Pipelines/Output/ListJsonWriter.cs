using System.Text;
using System.Text.Json;
using Dockyard.Pipelines.Jobs;

namespace Dockyard.Pipelines.Output;

/// <summary>
/// Writes the jobs as gitlab-ci-local's <c>--list-json</c> does: <c>name</c>, <c>stage</c>, <c>when</c>,
/// <c>allow_failure</c>, <c>needs</c> (<c>{job, artifacts, optional}</c>, or null without needs). Needs on other
/// pipelines or projects (<c>needs:pipeline</c>, <c>needs:project</c>) are not dependencies inside this pipeline and are left out.
/// </summary>
public static class ListJsonWriter
{
    /// <summary>The JSON text (indented, UTF-8, non-ASCII kept).</summary>
    public static string Write(Pipeline pipeline)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var job in pipeline.Jobs) WriteJob(json, job);
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJob(Utf8JsonWriter json, Job job)
    {
        json.WriteStartObject();
        json.WriteString("name", job.Name);
        json.WriteString("stage", job.Stage);
        json.WriteString("when", job.When);
        json.WriteBoolean("allow_failure", job.AllowFailure);
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
