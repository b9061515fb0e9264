using System.Text;

namespace Dockyard.Builders.Planning;

/// <summary>Renders a <see cref="BuildPlan"/> as the text <c>dockyard build --dry-run</c> prints.</summary>
public static class BuildPlanTextRenderer
{
    /// <summary>The plan: target, overall backend, each stage with its backend and why, skipped stages, warnings.</summary>
    public static string Render(BuildPlan plan)
    {
        var text = new StringBuilder();
        text.Append("Plan for ").Append(plan.DockerfileName).Append(", target ").Append(Label(plan.Target))
            .Append(", platform ").Append(plan.Platform).Append('\n');
        text.Append("Backend: ").Append(plan.IsNative ? "native (no container needed)" : "container (docker or buildah): the native builder cannot build every stage")
            .Append('\n');
        text.Append("Stages in build order:\n");
        var number = 1;
        foreach (var stage in plan.Stages)
        {
            text.Append("  ").Append(number++).Append(". ").Append(Label(stage.Node)).Append(" (").Append(From(stage)).Append("): ");
            switch (stage.Backend)
            {
                case StageBackend.PublishDirectory:
                    text.Append(stage.Publish!.Output?.SdkVersion is null ? "publish directory" : "machine's .NET SDK").Append("\n      ").Append(stage.Publish!.Explanation).Append('\n');
                    break;
                case StageBackend.Native:
                    text.Append("native, ").Append(stage.Steps.Count).Append(stage.Steps.Count == 1 ? " instruction\n" : " instructions\n");
                    foreach (var step in stage.Steps.Where(s => s.Action == StepAction.CopyPublishDirectory))
                        text.Append("      ").Append(step.Publish!.Explanation).Append('\n');
                    break;
                default:
                    text.Append("needs a container\n");
                    foreach (var reason in stage.Reasons) text.Append("      ").Append(reason).Append('\n');
                    break;
            }
        }
        if (plan.Skipped.Count > 0)
        {
            text.Append("Skipped stages:\n");
            foreach (var skipped in plan.Skipped) text.Append("  - ").Append(Label(skipped.Node)).Append(": ").Append(skipped.Reason).Append('\n');
        }
        if (plan.UnusedBuildArgs.Count > 0)
            text.Append("Warning: build arguments not consumed by any ARG: ").Append(string.Join(", ", plan.UnusedBuildArgs)).Append('\n');
        foreach (var warning in plan.Warnings) text.Append("Warning: ").Append(warning).Append('\n');
        return text.ToString();
    }

    private static string Label(Dockyard.Dockerfiles.Graph.StageNode node) => node.Stage.Name is { } name ? $"'{name}'" : $"stage {node.Stage.Index}";

    private static string From(PlannedStage stage) =>
        stage.Node.BaseStage is not null ? $"FROM stage '{stage.Node.Stage.From.Image.ToLowerInvariant()}'" : stage.Node.IsScratch ? "FROM scratch" : $"FROM {stage.Node.BaseImage}";
}
