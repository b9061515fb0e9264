using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Jobs;

/// <summary>A <c>needs:</c> entry as written, before it is matched against the pipeline's jobs.</summary>
/// <param name="Job">The needed job name.</param>
/// <param name="Artifacts">Whether artifacts are downloaded.</param>
/// <param name="Optional">Whether the job may be absent.</param>
/// <param name="Matrix">The <c>parallel:matrix</c> selector (alternatives of variable→value sets), or null.</param>
/// <param name="Pipeline">The parent pipeline of a <c>pipeline:</c> need, or null.</param>
/// <param name="Project">The project of a cross-project need, or null.</param>
/// <param name="Location">Where the entry is written.</param>
internal sealed record NeedSpec(string Job, bool Artifacts, bool Optional, List<List<KeyValuePair<string, string>>>? Matrix,
    string? Pipeline, string? Project, SourceLocation Location);
