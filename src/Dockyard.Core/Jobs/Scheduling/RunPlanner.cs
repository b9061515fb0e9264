using Dockyard.Diagnostics;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Variables;
using Dockyard.Jobs.Artifacts;

namespace Dockyard.Jobs.Scheduling;

/// <summary>
/// Turns a selection into the jobs of a run in pipeline order, each with what it waits for: its <c>needs</c> within
/// the run, or (without <c>needs</c>) every job of the run in an earlier stage; and whose artifacts it receives:
/// <c>dependencies</c>, else the needs with <c>artifacts: true</c>, else every job of an earlier stage. Unknown job or
/// stage names are errors with a did-you-mean; a cycle in <c>needs</c> is an error naming it.
/// </summary>
public static class RunPlanner
{
    /// <summary>Plans the run of <paramref name="selection"/> in <paramref name="pipeline"/>.</summary>
    public static IReadOnlyList<PlannedJob> Plan(Pipeline pipeline, RunSelection selection)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(selection);
        if (!pipeline.Created)
            throw new DockyardException($"{pipeline.Files[0]}: workflow:rules prevent this pipeline from being created; nothing to run. Check the variables you pass (--variable).");
        var active = pipeline.ActiveJobs.ToList();
        var byName = pipeline.Jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        var stageIndex = pipeline.Stages.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        var manual = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in selection.Manual)
            foreach (var job in Resolve(pipeline, name, "--manual"))
            {
                if (job.When != "manual") throw new DockyardException($"--manual {name}: job '{job.Name}' is when: {job.When}, not manual. Name it without --manual.");
                manual.Add(job.Name);
            }

        var chosen = new HashSet<string>(StringComparer.Ordinal);
        if (selection.Pipeline) chosen.UnionWith(active.Select(j => j.Name));
        if (selection.Stage is { } stage)
        {
            if (!stageIndex.ContainsKey(stage))
                throw new DockyardException($"--stage {stage}: no such stage in {pipeline.Files[0]}{Suggestions.DidYouMean(stage, pipeline.Stages)}. Stages: {string.Join(", ", pipeline.Stages)}.");
            chosen.UnionWith(active.Where(j => j.Stage == stage).Select(j => j.Name));
        }

        foreach (var name in selection.Jobs)
            foreach (var job in Resolve(pipeline, name, "job"))
            {
                if (job.When == "never")
                    throw new DockyardException($"job '{job.Name}' is excluded from this pipeline by its rules (when: never). Pass the variables that include it (--variable NAME=value).");
                chosen.Add(job.Name);
                if (job.When == "manual") manual.Add(job.Name);
            }

        chosen.UnionWith(manual);
        if (chosen.Count == 0 && !selection.Pipeline && selection.Stage is null)
            throw new DockyardException("nothing to run: name jobs, or pass --stage STAGE or --pipeline.");
        if (selection.Needs)
        {
            var pending = new Stack<string>(chosen);
            while (pending.Count > 0)
                foreach (var need in byName[pending.Pop()].Needs ?? [])
                    foreach (var instance in need.Instances)
                        if (byName.TryGetValue(instance, out var needed) && needed.When != "never" && chosen.Add(instance)) pending.Push(instance);
        }

        var ordered = pipeline.Jobs.Where(j => chosen.Contains(j.Name))
            .OrderBy(j => stageIndex.GetValueOrDefault(j.Stage)).ToList();
        CheckCycles(ordered, byName);
        var slugs = Slugs(pipeline.Jobs);
        return ordered.Select(job => new PlannedJob(job, slugs[job.Name],
            WaitsFor(job, ordered, chosen, stageIndex), job.Needs is not null, manual.Contains(job.Name),
            ArtifactSources(job, pipeline, stageIndex))).ToList();
    }

    private static IEnumerable<Job> Resolve(Pipeline pipeline, string name, string what)
    {
        var exact = pipeline.Jobs.Where(j => j.Name == name).ToList();
        if (exact.Count > 0) return exact;
        var instances = pipeline.Jobs.Where(j => j.BaseName == name).ToList();
        if (instances.Count > 0) return instances;
        var names = pipeline.Jobs.Select(j => j.Name).Concat(pipeline.Jobs.Select(j => j.BaseName)).Distinct().ToList();
        throw new DockyardException($"{what} '{name}': no such job in {pipeline.Files[0]}{Suggestions.DidYouMean(name, names)}. List the jobs with 'dockyard ci list'.");
    }

    private static List<string> WaitsFor(Job job, List<Job> ordered, HashSet<string> chosen, Dictionary<string, int> stageIndex)
    {
        if (job.Needs is { } needs)
            return needs.SelectMany(n => n.Instances).Where(chosen.Contains).Distinct().ToList();
        var stage = stageIndex.GetValueOrDefault(job.Stage);
        return ordered.Where(j => stageIndex.GetValueOrDefault(j.Stage) < stage).Select(j => j.Name).ToList();
    }

    private static List<string> ArtifactSources(Job job, Pipeline pipeline, Dictionary<string, int> stageIndex)
    {
        var stage = stageIndex.GetValueOrDefault(job.Stage);
        var earlier = pipeline.ActiveJobs.Where(j => stageIndex.GetValueOrDefault(j.Stage) < stage).ToList();
        if (job.Definition.ContainsKey("dependencies"))
        {
            var names = YamlValues.Strings(job.Definition["dependencies"]);
            return pipeline.Jobs.Where(j => names.Contains(j.Name) || names.Contains(j.BaseName)).Select(j => j.Name).ToList();
        }

        if (job.Needs is { } needs)
            return needs.Where(n => n.Artifacts).SelectMany(n => n.Instances).Distinct().ToList();
        return earlier.Select(j => j.Name).ToList();
    }

    private static void CheckCycles(List<Job> jobs, Dictionary<string, Job> byName)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        void Visit(Job job)
        {
            if (state.GetValueOrDefault(job.Name) == 2) return;
            if (state.GetValueOrDefault(job.Name) == 1)
            {
                var cycle = path.SkipWhile(p => p != job.Name).Append(job.Name);
                throw new SourceException(job.Location, $"needs form a cycle: {string.Join(" → ", cycle)}", "remove one of these needs");
            }

            state[job.Name] = 1;
            path.Add(job.Name);
            foreach (var need in job.Needs ?? [])
                foreach (var instance in need.Instances)
                    if (byName.TryGetValue(instance, out var next)) Visit(next);
            path.RemoveAt(path.Count - 1);
            state[job.Name] = 2;
        }

        foreach (var job in jobs) Visit(job);
    }

    /// <summary>A directory name per job: its slug, made unique with a number when two slugs collide.</summary>
    public static Dictionary<string, string> Slugs(IReadOnlyList<Job> jobs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            var baseSlug = Slug.Slugify(job.Name);
            if (baseSlug.Length == 0) baseSlug = "job";
            var slug = baseSlug;
            for (var n = 2; !used.Add(slug); n++) slug = $"{baseSlug}-{n}";
            result[job.Name] = slug;
        }

        return result;
    }
}
