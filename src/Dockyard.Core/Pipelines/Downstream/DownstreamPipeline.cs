using Dockyard.Pipelines.Jobs;

namespace Dockyard.Pipelines.Downstream;

/// <summary>What a trigger job starts: a child pipeline (loaded), one whose configuration a job makes at run time, or a multi-project pipeline.</summary>
/// <param name="Trigger">The trigger job.</param>
/// <param name="Spec">Its <c>trigger:</c>.</param>
public sealed record DownstreamPipeline(Job Trigger, TriggerSpec Spec)
{
    /// <summary>The child pipeline as GitLab would create it; null for a multi-project or a run-time (artifact) configuration.</summary>
    public Pipeline? Pipeline { get; init; }

    /// <summary>The options the child was loaded with (its variables include what the trigger forwards).</summary>
    public PipelineOptions? Options { get; init; }

    /// <summary>The variables the trigger job passes on (<c>forward:</c>), already expanded where GitLab expands them.</summary>
    public IReadOnlyDictionary<string, PipelineVariable> Forwarded { get; init; } = new Dictionary<string, PipelineVariable>();

    /// <summary>What the child pipeline's own trigger jobs start (nested child pipelines).</summary>
    public IReadOnlyList<DownstreamPipeline> Downstream { get; init; } = [];

    /// <summary>How deep this pipeline is below the parent (1 for a child).</summary>
    public int Depth { get; init; } = 1;

    /// <summary>One line saying what the trigger starts, for listings and logs.</summary>
    public string Description =>
        Spec.Project is { } project ? $"multi-project pipeline of {project}{(Spec.Branch is { } branch ? $" ({branch})" : "")}: GitLab starts it in that project; it is not run here"
        : Spec.ArtifactIncludes is { Count: > 0 } artifacts && Pipeline is null
            ? $"child pipeline made at run time from {string.Join(", ", artifacts.Select(a => $"artifact {a.Artifact} of job '{a.Job}'"))}"
        : $"child pipeline of {string.Join(", ", Pipeline?.Files ?? [])}{(Spec.Waits ? $" (strategy: {Spec.Strategy})" : "")}";
}
