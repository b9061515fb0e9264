namespace Dockyard.Pipelines.Jobs;

/// <summary>One entry of a job's <c>needs:</c>.</summary>
/// <param name="Job">The needed job as written (a base name for parallel jobs).</param>
/// <param name="Artifacts">Whether its artifacts are downloaded (default true).</param>
/// <param name="Optional">Whether a missing job is ignored.</param>
/// <param name="Instances">The concrete jobs this need resolves to (parallel instances, matrix selection); empty for an optional need whose job is absent and for cross-pipeline needs.</param>
/// <param name="Pipeline">The <c>pipeline:</c> of a parent-pipeline need, or null.</param>
/// <param name="Project">The <c>project:</c> of a cross-project need, or null.</param>
public sealed record JobNeed(string Job, bool Artifacts, bool Optional, IReadOnlyList<string> Instances, string? Pipeline = null, string? Project = null);
