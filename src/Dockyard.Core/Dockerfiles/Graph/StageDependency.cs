using Dockyard.Diagnostics;

namespace Dockyard.Dockerfiles.Graph;

/// <summary>How a stage uses another stage or an image.</summary>
public enum DependencyKind
{
    /// <summary><c>FROM other</c>: the stage starts from the other's filesystem and config.</summary>
    Base,

    /// <summary><c>COPY --from=other</c>.</summary>
    CopyFrom,

    /// <summary><c>RUN --mount=from=other</c>.</summary>
    MountFrom,
}

/// <summary>One edge of the stage graph: a stage needs another stage, or an image that is not a stage.</summary>
/// <param name="Kind">How it is used.</param>
/// <param name="StageIndex">The stage depended on, or null when <see cref="Image"/> names an image.</param>
/// <param name="Image">The image reference when the dependency is not a stage (kept as written).</param>
/// <param name="Location">The line that creates the dependency.</param>
public sealed record StageDependency(DependencyKind Kind, int? StageIndex, string? Image, SourceLocation Location);
