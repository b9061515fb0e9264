using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>
/// GitLab's logical validation of job references, run on every job of the configuration before any rule filters
/// it (<c>lib/gitlab/ci/yaml_processor.rb</c>, <c>run_logical_validations!</c>): each <c>dependencies:</c> entry,
/// each <c>needs:</c> entry (of the job and of every one of its <c>rules:</c>) and each <c>trigger:include:job</c>
/// must name a defined job of the current or an earlier stage; needs must not repeat a job.
/// </summary>
internal static class JobReferenceValidator
{
    /// <summary>Throws a <see cref="SourceException"/> at the first reference GitLab would reject.</summary>
    /// <param name="jobs">Every job, excluded ones included (parallel jobs expanded).</param>
    /// <param name="stages">The stages in order.</param>
    public static void Validate(IReadOnlyList<Job> jobs, List<string> stages)
    {
        // Config::Normalizer turns a reference to a parallel job's name into its instances, so both names are defined.
        var stageOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            stageOf.TryAdd(job.BaseName, stages.IndexOf(job.Stage));
            stageOf.TryAdd(job.Name, stages.IndexOf(job.Stage));
        }
        var graph = new Dictionary<string, List<NeedSpec>>(StringComparer.Ordinal);
        foreach (var job in jobs.DistinctBy(j => j.BaseName))
        {
            int own = stages.IndexOf(job.Stage);
            var needs = NeedsReader.Read(job.Definition["needs"], job.BaseName);
            if (job.Definition["dependencies"] is YamlSequence dependencies)
                foreach (var item in dependencies.Items)
                {
                    if (item is not YamlScalar { IsNull: false } name)
                        throw new SourceException(item.Location, $"job '{job.BaseName}': dependencies must be job names, not {item.KindName}.", null);
                    Check(job, own, name.Text, name.Location, "dependency", stageOf, stages, optional: false);
                    // config/entry/job.rb: with needs, every dependency must also be needed.
                    if (needs is { Count: > 0 } && !needs.Any(n => n.Job == name.Text))
                        throw new SourceException(name.Location, $"job '{job.BaseName}': dependency '{name.Text}' should be part of needs.",
                            "Add it to needs: or remove it from dependencies.");
                }
            CheckNeeds(job, own, needs, stageOf, stages);
            graph[job.BaseName] = needs?.Where(n => n.Pipeline is null && n.Project is null).ToList() ?? [];
            if (job.Definition["rules"] is YamlSequence rules)
                foreach (var rule in ScriptLines.Flatten(rules, $"job '{job.BaseName}': rules").OfType<YamlMapping>())
                    CheckNeeds(job, own, NeedsReader.Read(rule["needs"], job.BaseName), stageOf, stages);
            if (job.Definition["trigger"] is YamlMapping trigger && trigger["include"] is { } include)
                foreach (var entry in include is YamlSequence list ? list.Items : [include])
                    if (entry is YamlMapping m && m["job"] is YamlScalar { IsNull: false } artifactJob)
                        Check(job, own, artifactJob.Text, artifactJob.Location, "dependency", stageOf, stages, optional: false);
        }
        var baseOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in jobs) baseOf.TryAdd(job.Name, job.BaseName);
        CheckCycles(graph, baseOf);
    }

    // yaml_processor.rb: needs form a DAG; a cycle (which the stage order cannot catch within one stage) is
    // "The pipeline has circular dependencies". Depth-first, iterative (no stack overflow on long chains).
    private static void CheckCycles(Dictionary<string, List<NeedSpec>> graph, Dictionary<string, string> baseOf)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in graph.Keys)
        {
            if (done.Contains(start)) continue;
            var path = new List<string> { start };
            var onPath = new HashSet<string>(StringComparer.Ordinal) { start };
            var next = new Stack<int>();
            next.Push(0);
            while (path.Count > 0)
            {
                var job = path[^1];
                var needs = graph[job];
                var i = next.Pop();
                if (i >= needs.Count)
                {
                    done.Add(job);
                    onPath.Remove(job);
                    path.RemoveAt(path.Count - 1);
                    continue;
                }
                next.Push(i + 1);
                var need = needs[i];
                var target = baseOf.TryGetValue(need.Job, out var b) ? b : need.Job;
                if (!graph.ContainsKey(target) || done.Contains(target)) continue;
                if (onPath.Contains(target))
                    throw new SourceException(need.Location,
                        $"The pipeline has circular dependencies: {string.Join(" → ", path.Skip(path.IndexOf(target)).Append(target))}.",
                        "Remove one of these needs: a job cannot (indirectly) need itself.");
                path.Add(target);
                onPath.Add(target);
                next.Push(0);
            }
        }
    }

    private static void CheckNeeds(Job job, int own, List<NeedSpec>? needs, Dictionary<string, int> stageOf,
        List<string> stages)
    {
        if (needs is null) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var need in needs)
        {
            if (need.Pipeline is not null || need.Project is not null) continue;
            Check(job, own, need.Job, need.Location, "need", stageOf, stages, need.Optional);
            if (need.Matrix is null && !seen.Add(need.Job))
                throw new SourceException(need.Location, $"job '{job.BaseName}' has the following needs duplicated: {need.Job}.",
                    "List each needed job once (one entry can set both artifacts and optional).");
        }
    }

    private static void Check(Job job, int own, string name, SourceLocation at, string kind, Dictionary<string, int> stageOf,
        List<string> stages, bool optional)
    {
        if (!stageOf.TryGetValue(name, out var theirs))
        {
            if (optional) return;
            throw new SourceException(at, kind == "need"
                    ? $"job '{job.BaseName}' needs '{name}', which is not defined{Suggestions.DidYouMean(name, stageOf.Keys)}."
                    : $"job '{job.BaseName}': undefined dependency '{name}'{Suggestions.DidYouMean(name, stageOf.Keys)}.",
                "Fix the name (jobs excluded by rules count: GitLab checks every job defined in the configuration).");
        }
        if (theirs > own)
            throw new SourceException(at, kind == "need"
                    ? $"job '{job.BaseName}' (stage {job.Stage}) needs '{name}', which is in the later stage {stages[theirs]}."
                    : $"job '{job.BaseName}' (stage {job.Stage}): dependency '{name}' is in the later stage {stages[theirs]}, not in the current or a prior stage.",
                kind == "need" ? "A job can only need jobs of earlier stages or its own stage; move one of them."
                    : "List only jobs of the current or earlier stages under dependencies.");
    }
}
