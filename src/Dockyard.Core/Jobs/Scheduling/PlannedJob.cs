using Dockyard.Pipelines.Jobs;

namespace Dockyard.Jobs.Scheduling;

/// <summary>A job of a run and what it waits for.</summary>
/// <param name="Job">The resolved job.</param>
/// <param name="Slug">Its directory name under <c>.dockyard/builds</c> and <c>.dockyard/artifacts</c>.</param>
/// <param name="WaitsFor">The jobs of this run that must end first (its needs, or every job of an earlier stage).</param>
/// <param name="IsDag">True when the job has <c>needs:</c> (GitLab then requires its needs to succeed, not merely be skipped).</param>
/// <param name="Triggered">True when a <c>when: manual</c> job was asked for and runs.</param>
/// <param name="ArtifactSources">The jobs (of the whole pipeline) whose stored artifacts and dotenv it receives, in order.</param>
public sealed record PlannedJob(Job Job, string Slug, IReadOnlyList<string> WaitsFor, bool IsDag, bool Triggered, IReadOnlyList<string> ArtifactSources);
