using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Graph;
using Dockyard.Images;

namespace Dockyard.Builders.Planning;

/// <summary>How a stage gets built.</summary>
public enum StageBackend
{
    /// <summary>Assembled without a container: every instruction is a file or config operation.</summary>
    Native,

    /// <summary>Not built at all: a caller-supplied publish directory stands for what later stages copy from it.</summary>
    PublishDirectory,

    /// <summary>Needs a container backend (docker or buildah) because of at least one line.</summary>
    Container,
}

/// <summary>How one instruction is carried out.</summary>
public enum StepAction
{
    /// <summary>A file or config operation the native builder does itself.</summary>
    Native,

    /// <summary>A <c>RUN dotnet publish|build -o DIR</c> replaced by copying the publish directory to DIR.</summary>
    CopyPublishDirectory,

    /// <summary>Needs a container.</summary>
    NeedsContainer,
}

/// <summary>One instruction of a planned stage.</summary>
/// <param name="Step">The expanded instruction with its ARG/ENV scope and working directory.</param>
/// <param name="Action">How it is carried out.</param>
/// <param name="Reason">Why it needs a container, for <see cref="StepAction.NeedsContainer"/>.</param>
/// <param name="Publish">The publish mapping, for RUN dotnet publish/build -o lines.</param>
public sealed record PlannedStep(ResolvedStep Step, StepAction Action, string? Reason, PublishMapping? Publish);

/// <summary>One stage of the plan.</summary>
/// <param name="Node">The stage and its dependencies.</param>
/// <param name="Backend">How it is built.</param>
/// <param name="Steps">Its instructions in order (empty for <see cref="StageBackend.PublishDirectory"/>).</param>
/// <param name="Publish">The mapping that replaces the stage, for <see cref="StageBackend.PublishDirectory"/>.</param>
/// <param name="Reasons">For <see cref="StageBackend.Container"/>: every line that forces a container, with its location.</param>
public sealed record PlannedStage(StageNode Node, StageBackend Backend, IReadOnlyList<PlannedStep> Steps, PublishMapping? Publish, IReadOnlyList<string> Reasons)
{
    /// <summary>The stage's name or index.</summary>
    public string Name => Node.Stage.DisplayName;
}

/// <summary>A stage of the Dockerfile that the build does not need, and why.</summary>
/// <param name="Node">The stage.</param>
/// <param name="Reason">Why it is skipped.</param>
public sealed record SkippedStage(StageNode Node, string Reason);

/// <summary>
/// What building a Dockerfile target takes: the needed stages in build order, each with its backend and why, the
/// publish-directory mappings, and the stages skipped. An executor walks <see cref="Stages"/> in order.
/// </summary>
/// <param name="DockerfileName">The Dockerfile's name, as in locations.</param>
/// <param name="Target">The target stage.</param>
/// <param name="Platform">The platform built for.</param>
/// <param name="Stages">The needed stages in build order (the target last).</param>
/// <param name="Skipped">The stages not built.</param>
/// <param name="UnusedBuildArgs">Build arguments no ARG consumes (docker warns about these).</param>
/// <param name="Warnings">Parser and planner warnings.</param>
public sealed record BuildPlan(string DockerfileName, StageNode Target, Platform Platform, IReadOnlyList<PlannedStage> Stages,
    IReadOnlyList<SkippedStage> Skipped, IReadOnlyList<string> UnusedBuildArgs, IReadOnlyList<string> Warnings)
{
    /// <summary>The parsed Dockerfile this plan was made from (for planning again once base image configs are known).</summary>
    internal Dockyard.Dockerfiles.Model.Dockerfile? Source { get; init; }

    /// <summary>The request this plan was made for.</summary>
    internal BuildPlanRequest? Request { get; init; }

    /// <summary>True when no needed stage needs a container: the native builder can build the whole target.</summary>
    public bool IsNative => Stages.All(s => s.Backend != StageBackend.Container);

    /// <summary>Every line that forces a container backend, with its location (empty when <see cref="IsNative"/>).</summary>
    public IReadOnlyList<string> ContainerReasons => Stages.SelectMany(s => s.Reasons).ToList();

    /// <summary>
    /// The images the needed stages pull, as written after expansion: every <c>FROM</c> image and every
    /// <c>COPY --from</c> / <c>RUN --mount=from</c> image (not stages, not scratch), without duplicates.
    /// </summary>
    public IReadOnlyList<string> PulledImages => Stages
        .Where(s => s.Backend != StageBackend.PublishDirectory)
        .SelectMany(s => s.Node.Dependencies
            .Where(d => d.Kind != DependencyKind.Base && d.StageIndex is null && d.Image is { } image && !image.Contains('$', StringComparison.Ordinal))
            .Select(d => d.Image!)
            .Prepend(s.Node.BaseImage))
        .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}
