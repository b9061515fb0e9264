using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Graph;
using Dockyard.Dockerfiles.Model;

namespace Dockyard.Builders.Planning;

/// <summary>
/// Decides how a Dockerfile target is built: which stages it needs, which the native builder assembles, which a
/// caller-supplied publish directory replaces, and which line forces a container backend and why.
/// </summary>
public static class BuildPlanner
{
    private const string NativeInstructions = "only FROM, COPY, ADD (local files), ENV, ARG, LABEL, EXPOSE, USER, WORKDIR, ENTRYPOINT, CMD, VOLUME, " +
        "STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD and RUN dotnet publish/build -o (given a publish directory) are built natively";

    /// <summary>Plans the build of <paramref name="request"/>'s target.</summary>
    /// <exception cref="DockyardException">Unknown target, cyclic stages or an instruction that cannot be expanded.</exception>
    public static BuildPlan Plan(Dockerfile dockerfile, BuildPlanRequest request)
    {
        var arguments = request.Arguments ?? BuildArguments.None;
        var outputs = request.PublishedOutputs ?? [];
        var evaluation = DockerfileEvaluation.Create(dockerfile, arguments, request.BaseImages);
        var graph = evaluation.Graph;
        var target = graph.Target(request.Target);
        var reachable = graph.BuildOrder(target);
        var escape = dockerfile.Directives.Escape;

        var replaced = new Dictionary<int, PublishMapping>();
        foreach (var candidate in Replaceable(evaluation, target, reachable, escape))
        {
            var mapping = PublishMatcher.Match(candidate.Step, candidate.Analysis, outputs);
            if (mapping.IsMapped) replaced[candidate.Node.Stage.Index] = mapping;
        }

        var order = graph.BuildOrder(target, (from, _) => !replaced.ContainsKey(from.Stage.Index));
        var stages = order.Select(node => replaced.TryGetValue(node.Stage.Index, out var mapping)
            ? new PlannedStage(node, StageBackend.PublishDirectory, [], mapping, [])
            : PlanStage(evaluation.Resolve(node), outputs, escape)).ToList();

        var skipped = graph.Nodes.Where(n => !order.Contains(n)).Select(n => new SkippedStage(n, reachable.Contains(n)
            ? $"only needed to produce what the publish directory for stage '{stages.First(s => s.Backend == StageBackend.PublishDirectory && DependsOn(graph, s.Node, n)).Name}' replaces"
            : $"not needed by target '{target.Stage.DisplayName}'")).ToList();
        var warnings = dockerfile.Warnings.Concat(order.Where(n => !replaced.ContainsKey(n.Stage.Index)).SelectMany(n => UndefinedWarnings(evaluation.Resolve(n)))).Distinct(StringComparer.Ordinal).ToList();
        return new BuildPlan(dockerfile.FileName, target, arguments.TargetPlatform, stages, skipped, evaluation.UnusedBuildArgs(order), warnings)
        {
            Source = dockerfile, Request = request,
        };
    }

    /// <summary>
    /// The stages of <paramref name="plan"/> a publish output could stand for: they RUN only dotnet commands, the last
    /// one <c>dotnet publish|build -o DIR</c>, and later stages only COPY --from inside DIR.
    /// </summary>
    internal static IReadOnlyList<ReplaceableStage> Replaceable(BuildPlan plan)
    {
        if (plan.Source is not { } dockerfile || plan.Request is not { } request) return [];
        var evaluation = DockerfileEvaluation.Create(dockerfile, request.Arguments ?? BuildArguments.None, request.BaseImages);
        var target = evaluation.Graph.Target(request.Target);
        return Replaceable(evaluation, target, evaluation.Graph.BuildOrder(target), dockerfile.Directives.Escape);
    }

    private static List<ReplaceableStage> Replaceable(DockerfileEvaluation evaluation, StageNode target, IReadOnlyList<StageNode> reachable, char escape)
    {
        var candidates = new List<ReplaceableStage>();
        foreach (var node in reachable.Where(n => n != target))
        {
            var resolved = evaluation.Resolve(node);
            var runs = resolved.Steps
                .Where(s => s.Instruction is RunInstruction)
                .Select(s => (Step: s, Analysis: RunAnalysis.Analyze(s, (RunInstruction)s.Instruction, escape))).ToList();
            var producing = runs.Where(r => r.Analysis.Kind == RunKind.DotnetOutput).ToList();
            if (producing.Count == 0 || runs.Any(r => r.Analysis.Kind == RunKind.Other)) continue;
            if (!OnlyCopiedFrom(node, producing.Select(p => p.Analysis.OutputPath!).ToList(), reachable, evaluation)) continue;
            candidates.Add(new ReplaceableStage(node, resolved, producing[^1].Step, producing[^1].Analysis));
        }
        return candidates;
    }

    private static IEnumerable<string> UndefinedWarnings(ResolvedStage stage) => stage.UndefinedVariables.Select(v => stage.BaseConfigKnown
        ? $"{v.Location}: ${v.Name} is not set (no ARG, ENV or base image variable defines it) and expands to an empty value. Declare it with ARG or ENV, or write ${{{v.Name}:-default}}."
        : $"{v.Location}: ${v.Name} is not set by any ARG or ENV of this Dockerfile; the build takes it from the base image's environment, " +
          "as docker does, and it expands to an empty value if the base image does not set it either (the base image's config is not known while planning).");

    /// <summary>True when every use of <paramref name="node"/> is a COPY --from of paths inside the publish output directories.</summary>
    private static bool OnlyCopiedFrom(StageNode node, IReadOnlyList<string> outputPaths, IReadOnlyList<StageNode> reachable, DockerfileEvaluation evaluation)
    {
        foreach (var user in reachable)
        {
            foreach (var dependency in user.Dependencies.Where(d => d.StageIndex == node.Stage.Index))
            {
                if (dependency.Kind != DependencyKind.CopyFrom) return false;
                var copy = evaluation.Resolve(user).Steps.Select(s => s.Instruction).OfType<CopyInstruction>().First(c => c.Location == dependency.Location);
                if (!copy.Sources.All(source => outputPaths.Any(output => ContainerPath.IsWithin(ContainerPath.Combine("/", source), output))))
                    return false;
            }
        }
        return true;
    }

    private static bool DependsOn(StageGraph graph, StageNode user, StageNode candidate) =>
        user.Dependencies.Any(d => d.StageIndex == candidate.Stage.Index || d.StageIndex is { } index && index != user.Stage.Index && DependsOn(graph, graph.Nodes[index], candidate));

    private static PlannedStage PlanStage(ResolvedStage stage, IReadOnlyList<PublishedOutput> outputs, char escape)
    {
        var steps = new List<PlannedStep>();
        foreach (var step in stage.Steps)
        {
            switch (step.Instruction)
            {
                case RunInstruction run:
                {
                    var analysis = RunAnalysis.Analyze(step, run, escape);
                    switch (analysis.Kind)
                    {
                        case RunKind.DotnetOutput:
                            var mapping = PublishMatcher.Match(step, analysis, outputs);
                            steps.Add(mapping.IsMapped
                                ? new PlannedStep(step, StepAction.CopyPublishDirectory, null, mapping)
                                : new PlannedStep(step, StepAction.NeedsContainer, mapping.Explanation, mapping));
                            break;
                        case RunKind.DotnetPreparation:
                            steps.Add(Container(step, $"{step.Instruction.Location}: {step.Instruction.ShortText} needs a container: it changes this stage's " +
                                "files (NuGet packages, obj/, bin/), and a publish directory only replaces a stage whose later use is COPY --from of its -o directory"));
                            break;
                        default:
                            steps.Add(Container(step, $"{step.Instruction.Location}: {step.Instruction.ShortText} needs a container: {NativeInstructions}"));
                            break;
                    }
                    break;
                }
                case AddInstruction add when add.Sources.FirstOrDefault(AddInstruction.IsRemote) is { } remote:
                    steps.Add(Container(step, $"{step.Instruction.Location}: ADD of the remote source '{remote}' needs a container backend: " +
                        "the native builder adds local files and archives only (download it into the context, or use a container backend)"));
                    break;
                default:
                    steps.Add(new PlannedStep(step, StepAction.Native, null, null));
                    break;
            }
        }
        var reasons = steps.Where(s => s.Action == StepAction.NeedsContainer).Select(s => s.Reason!).ToList();
        return new PlannedStage(stage.Node, reasons.Count == 0 ? StageBackend.Native : StageBackend.Container, steps, null, reasons);
    }

    private static PlannedStep Container(ResolvedStep step, string reason) => new(step, StepAction.NeedsContainer, reason, null);
}

/// <summary>A stage a publish output can stand for, with the RUN line that produces it.</summary>
/// <param name="Node">The stage.</param>
/// <param name="Stage">Its resolved instructions.</param>
/// <param name="Step">The last <c>RUN dotnet publish|build -o</c> step.</param>
/// <param name="Analysis">That line's analysis (command, output path, working directory).</param>
internal sealed record ReplaceableStage(StageNode Node, ResolvedStage Stage, ResolvedStep Step, RunAnalysis Analysis);
