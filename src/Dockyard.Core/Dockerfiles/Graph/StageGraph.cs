using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Expansion;
using Dockyard.Dockerfiles.Model;
using Dockyard.Dockerfiles.Syntax;

namespace Dockyard.Dockerfiles.Graph;

/// <summary>
/// The stages of a Dockerfile and how they use each other (<c>FROM stage</c>, <c>COPY --from</c>, <c>RUN --mount from=</c>),
/// with BuildKit's resolution rules: FROM names only earlier stages (otherwise it is an image), <c>--from</c> names any stage
/// by name or index (otherwise an image), and cycles are errors.
/// </summary>
public sealed class StageGraph
{
    private StageGraph(Dockerfile dockerfile, IReadOnlyList<StageNode> nodes)
    {
        Dockerfile = dockerfile;
        Nodes = nodes;
    }

    /// <summary>The Dockerfile.</summary>
    public Dockerfile Dockerfile { get; }

    /// <summary>One node per stage, by index.</summary>
    public IReadOnlyList<StageNode> Nodes { get; }

    /// <summary>Builds the graph; FROM lines are expanded with <paramref name="globalArgs"/> (global ARGs and platform ARGs).</summary>
    /// <exception cref="SourceException">A stage index is out of range or a variable in FROM is malformed.</exception>
    public static StageGraph Build(Dockerfile dockerfile, IReadOnlyDictionary<string, string> globalArgs)
    {
        var stages = dockerfile.Stages;
        var nodes = new List<StageNode>();
        foreach (var stage in stages)
        {
            var expander = new WordExpander(name => globalArgs.GetValueOrDefault(name), dockerfile.Directives.Escape, stage.From.Location);
            var from = (FromInstruction)stage.From.Expand(expander);
            if (from.Image.Length == 0)
                throw new SourceException(stage.From.Location, $"the base image '{stage.From.Image}' expands to an empty name.",
                    "Give the ARG it uses a default value before the first FROM, or pass it with --build-arg.");
            if (from.Platform is not null)
            {
                try
                {
                    Images.Platform.Parse(from.Platform);
                }
                catch (FormatException e)
                {
                    throw new SourceException(stage.From.Location, $"--platform={stage.From.Platform} is not a platform: {e.Message}", "Write os/arch, e.g. linux/amd64 or $BUILDPLATFORM.");
                }
            }
            var dependencies = new List<StageDependency>();
            int? baseStage = stages.Take(stage.Index).FirstOrDefault(s => s.Name == from.Image.ToLowerInvariant())?.Index;
            var isScratch = baseStage is null && from.Image.Equals("scratch", StringComparison.OrdinalIgnoreCase);
            if (!isScratch) dependencies.Add(new StageDependency(DependencyKind.Base, baseStage, baseStage is null ? from.Image : null, stage.From.Location));
            foreach (var instruction in stage.Instructions)
            {
                switch (instruction)
                {
                    case CopyInstruction { From: { } source } copy:
                        dependencies.Add(Reference(stages, stage, source, DependencyKind.CopyFrom, copy.Location));
                        break;
                    case RunInstruction run:
                        foreach (var mount in run.Mounts.Where(m => m.From is not null))
                            dependencies.Add(Reference(stages, stage, mount.From!, DependencyKind.MountFrom, run.Location));
                        break;
                }
            }
            nodes.Add(new StageNode(stage, baseStage is null && !isScratch ? from.Image : null, baseStage, from.Platform, dependencies));
        }
        return new StageGraph(dockerfile, nodes);
    }

    private static StageDependency Reference(IReadOnlyList<Stage> stages, Stage current, string reference, DependencyKind kind, SourceLocation location)
    {
        if (int.TryParse(reference, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            if (index >= stages.Count)
                throw new SourceException(location, $"--from={reference}: there is no stage {index} (the Dockerfile has {stages.Count} stages, numbered from 0).",
                    "Use an existing stage index or, better, the stage's name.");
            if (index == current.Index)
                throw new SourceException(location, $"--from={reference} refers to the stage it is in.", "Copy from an earlier stage.");
            return new StageDependency(kind, index, null, location);
        }
        var named = stages.FirstOrDefault(s => s.Name == reference.ToLowerInvariant());
        if (named is not null && named.Index == current.Index)
            throw new SourceException(location, $"--from={reference} refers to the stage it is in.", "Copy from an earlier stage.");
        return new StageDependency(kind, named?.Index, named is null ? reference : null, location);
    }

    /// <summary>Finds the target stage: by name (case-insensitive), or the last stage when <paramref name="target"/> is null.</summary>
    /// <exception cref="DockyardException">No stage has that name.</exception>
    public StageNode Target(string? target)
    {
        if (string.IsNullOrEmpty(target)) return Nodes[^1];
        var node = Nodes.FirstOrDefault(n => n.Stage.Name == target.ToLowerInvariant());
        if (node is not null) return node;
        var names = Nodes.Where(n => n.Stage.Name is not null).Select(n => n.Stage.Name!).ToList();
        var suggestion = Suggestions.Closest(target, names);
        throw new DockyardException($"{Dockerfile.FileName}: target stage '{target}' could not be found. " +
            (suggestion is not null ? $"Did you mean '{suggestion}'? " : "") +
            (names.Count == 0 ? "The Dockerfile has no named stages (add AS name to a FROM line)." : $"Named stages: {string.Join(", ", names)}."));
    }

    /// <summary>
    /// The stages <paramref name="target"/> needs, in build order (every stage after the stages it uses, otherwise in file order).
    /// <paramref name="follow"/> can cut edges (the planner cuts edges into stages a publish directory replaces).
    /// </summary>
    /// <exception cref="SourceException">The stages depend on each other in a cycle.</exception>
    public IReadOnlyList<StageNode> BuildOrder(StageNode target, Func<StageNode, StageDependency, bool>? follow = null)
    {
        var order = new List<StageNode>();
        var state = new Dictionary<int, bool>(); // false: visiting, true: done
        void Visit(StageNode node, Stack<StageNode> path)
        {
            if (state.TryGetValue(node.Stage.Index, out var done))
            {
                if (done) return;
                var cycle = path.Reverse().SkipWhile(n => n != node).Select(n => n.Stage.DisplayName).Append(node.Stage.DisplayName);
                throw new SourceException(node.Stage.From.Location, $"circular dependency between stages: {string.Join(" -> ", cycle)}.",
                    "A stage can only use stages that do not use it back; break the cycle.");
            }
            state[node.Stage.Index] = false;
            path.Push(node);
            foreach (var dependency in node.Dependencies.Where(d => d.StageIndex is not null).OrderBy(d => d.StageIndex))
                if (follow is null || follow(node, dependency)) Visit(Nodes[dependency.StageIndex!.Value], path);
            path.Pop();
            state[node.Stage.Index] = true;
            order.Add(node);
        }
        Visit(target, new Stack<StageNode>());

        // Same set, in file order wherever the dependencies allow it.
        var sorted = new List<StageNode>();
        var pending = order.OrderBy(n => n.Stage.Index).ToList();
        while (pending.Count > 0)
        {
            var ready = pending.First(n => n.Dependencies.All(d =>
                d.StageIndex is null || (follow is not null && !follow(n, d)) || sorted.Any(s => s.Stage.Index == d.StageIndex)));
            sorted.Add(ready);
            pending.Remove(ready);
        }
        return sorted;
    }
}
