using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines;

/// <summary>A loaded pipeline: stages, resolved jobs (including those excluded by rules, with <c>when: never</c>) and warnings.</summary>
public sealed class Pipeline
{
    /// <summary>The stages in order, <c>.pre</c> first and <c>.post</c> last.</summary>
    public required IReadOnlyList<string> Stages { get; init; }

    /// <summary>The jobs in definition order, parallel jobs expanded.</summary>
    public required IReadOnlyList<Job> Jobs { get; init; }

    /// <summary>The global variables (after <c>workflow:rules:variables</c>).</summary>
    public required IReadOnlyDictionary<string, PipelineVariable> Variables { get; init; }

    /// <summary>False when <c>workflow:rules</c> prevent the pipeline from being created.</summary>
    public required bool Created { get; init; }

    /// <summary>
    /// Why GitLab would create no pipeline (workflow:rules exclude it, every job is excluded, or only <c>.pre</c>/<c>.post</c>
    /// jobs would run), or null when it would create one.
    /// </summary>
    public string? NoPipelineReason => !Created ? "workflow:rules prevent this pipeline from being created (GitLab: \"Pipeline filtered out by workflow rules.\")"
        : !ActiveJobs.Any() ? "the rules of every job exclude it (GitLab: \"The rules configuration prevented any jobs from being added to the pipeline.\")"
        : ActiveJobs.All(j => j.Stage is ".pre" or ".post") ? "only .pre/.post jobs would run, and GitLab creates no pipeline of only those stages"
        : null;

    /// <summary>Warnings (deprecated keywords, suspicious configuration).</summary>
    public required IReadOnlyList<PipelineWarning> Warnings { get; init; }

    /// <summary>The files read (the pipeline file first, then includes).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Where each <c>template</c>/<c>project</c>/<c>remote</c>/<c>component</c> include came from (fetched, or which cache), in the order read.</summary>
    public IReadOnlyList<Includes.IncludeOrigin> IncludeOrigins { get; init; } = [];

    /// <summary>The fully resolved configuration (what <c>ci preview</c> prints).</summary>
    public required YamlMapping Resolved { get; init; }

    /// <summary>The jobs that run (not <c>when: never</c>).</summary>
    public IEnumerable<Job> ActiveJobs => Jobs.Where(j => j.When != "never");
}
