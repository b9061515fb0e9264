using Dockyard.Dockerfiles.Model;

namespace Dockyard.Dockerfiles.Graph;

/// <summary>A stage in the graph: its base (image or stage), resolved with the global ARGs, and what it depends on.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="BaseImage">The expanded FROM image reference, or null when the base is another stage or scratch.</param>
/// <param name="BaseStage">The index of the stage named in FROM, if any.</param>
/// <param name="Platform">The expanded <c>FROM --platform</c> value, if any.</param>
/// <param name="Dependencies">Every stage or image the stage uses, in line order.</param>
public sealed record StageNode(Stage Stage, string? BaseImage, int? BaseStage, string? Platform, IReadOnlyList<StageDependency> Dependencies)
{
    /// <summary>True for <c>FROM scratch</c>.</summary>
    public bool IsScratch => BaseImage is null && BaseStage is null;
}
