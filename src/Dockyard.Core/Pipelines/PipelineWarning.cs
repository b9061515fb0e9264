using Dockyard.Diagnostics;

namespace Dockyard.Pipelines;

/// <summary>Something GitLab accepts but that is probably a mistake or is deprecated.</summary>
/// <param name="Location">Where it is.</param>
/// <param name="Message">What it is and what to do.</param>
public sealed record PipelineWarning(SourceLocation Location, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location}: warning: {Message}";
}
