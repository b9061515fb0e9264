namespace Dockyard.Cake.Pipelines;

/// <summary>The task dependencies GitLab's order implies: <c>needs:</c>, else every job of the earlier stages; manual jobs are never depended on.</summary>
internal static class PipelineTasks
{
    public static IReadOnlyList<string> DependenciesOf(GitLabPipeline pipeline, GitLabJob job)
    {
        var byName = pipeline.Jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        if (job.Needs is { } needs)
            return needs.Where(n => byName.TryGetValue(n, out var need) && !need.IsManual).ToList();
        var stage = pipeline.Stages.ToList().IndexOf(job.Stage);
        return pipeline.Jobs.Where(j => !j.IsManual && pipeline.Stages.ToList().IndexOf(j.Stage) < stage).Select(j => j.Name).ToList();
    }
}
