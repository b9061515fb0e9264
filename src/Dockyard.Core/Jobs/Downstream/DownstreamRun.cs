using System.Diagnostics;
using System.Globalization;
using Dockyard.Diagnostics;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Downstream;

namespace Dockyard.Jobs.Downstream;

/// <summary>
/// Carries out a trigger job. A child pipeline (<c>trigger:include</c>) is loaded when the trigger job starts (so an
/// <c>artifact:</c> configuration that an earlier job wrote is there), its jobs run with the same scheduler under the
/// name <c>TRIGGER &gt; JOB</c>, in their own builds and artifacts directories. As in GitLab, the trigger job succeeds
/// once the child pipeline is created, or with <c>strategy: depend|mirror</c> waits and fails when the child failed; a
/// child that cannot be created fails it (<c>downstream_pipeline_creation_failed</c>). A multi-project trigger is skipped:
/// that pipeline belongs to another project.
/// </summary>
internal static class DownstreamRun
{
    private static readonly Task<IReadOnlyList<JobResult>> None = Task.FromResult<IReadOnlyList<JobResult>>([]);

    /// <summary>Starts the downstream pipeline of <paramref name="planned"/>: the trigger job's result, and the child's jobs' results when they end.</summary>
    public static async Task<(JobResult Trigger, Task<IReadOnlyList<JobResult>> Children)> StartAsync(RunScheduler scheduler, PlannedJob planned,
        JobRunContext run, PipelineOptions options, int depth)
    {
        var job = planned.Job;
        var watch = Stopwatch.StartNew();
        JobResult Result(JobStatus status, string? reason) =>
            new(job.Name, job.Stage, status, job.AllowFailure && status == JobStatus.Failed, null, watch.Elapsed, 1, reason);
        var spec = TriggerSpec.Read(job.Trigger!, job.Name);
        if (!spec.IsChild)
        {
            run.Log.Line(job.Name, $"Downstream: {new DownstreamPipeline(job, spec).Description}.");
            return (Result(JobStatus.Skipped, "multi-project pipeline: runs in GitLab, in its own project"), None);
        }

        DownstreamPipeline child;
        try
        {
            child = DownstreamPipelines.LoadChild(options, job, spec, depth + 1, (name, path) => run.Artifacts.FileOf(run.SlugOf(name), path));
            if (child.Pipeline!.NoPipelineReason is { } reason)
                throw new DockyardException($"the child pipeline would not be created: {reason}.");
        }
        catch (DockyardException error)
        {
            run.Log.Line(job.Name, $"ERROR: downstream pipeline can not be created: {error.Message}");
            return (Result(JobStatus.Failed, "downstream_pipeline_creation_failed"), None);
        }

        var pipeline = child.Pipeline!;
        var plan = RunPlanner.Plan(pipeline, new RunSelection { Pipeline = true });
        var prefix = job.Name + " > ";
        run.Log.Line(job.Name, $"Downstream: {child.Description}: {plan.Count} jobs, shown as '{prefix}JOB'.");
        var predefined = new Dictionary<string, string>(child.Options!.PredefinedVariables!, StringComparer.Ordinal);
        if (long.TryParse(predefined.GetValueOrDefault("CI_PIPELINE_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var parentId))
            predefined["CI_PIPELINE_ID"] = (parentId + scheduler.NextPipeline()).ToString(CultureInfo.InvariantCulture);
        var childRun = new JobRunContext(run.Host, run.Layout.ForChild(run.SlugOf(job.Name)), predefined, External(run, spec, child),
            run.SourceFiles, new PrefixedJobLog(run.Log, prefix), run.Options)
        {
            Slugs = RunPlanner.Slugs(pipeline.Jobs),
            Clock = run.Clock,
        };
        var children = RunChildAsync(scheduler, plan, childRun, child.Options, depth + 1, prefix);
        if (!spec.Waits) return (Result(JobStatus.Success, null), children);

        var results = await children.ConfigureAwait(false);
        var status = results.Any(r => r.Status == JobStatus.Canceled) ? JobStatus.Canceled
            : results.Any(r => r.FailsPipeline) ? JobStatus.Failed : JobStatus.Success;
        return (Result(status, status == JobStatus.Success ? null : $"the child pipeline {(status == JobStatus.Canceled ? "was canceled" : "failed")} (strategy: {spec.Strategy})"), Task.FromResult(results));
    }

    private static async Task<IReadOnlyList<JobResult>> RunChildAsync(RunScheduler scheduler, IReadOnlyList<PlannedJob> plan, JobRunContext run,
        PipelineOptions options, int depth, string prefix)
    {
        await using var docker = await Docker.DockerChoice.DecideAsync(run.Host, plan, run.Options.Executor, run.Predefined, run.External, scheduler.Cancellation).ConfigureAwait(false);
        var results = await scheduler.RunAsync(plan, run, docker, options, depth).ConfigureAwait(false);
        return results.Select(r => r with { Name = prefix + r.Name }).ToList();
    }

    // Project variables reach every pipeline; the parent's pipeline variables only with forward:pipeline_variables
    // (they are then among the forwarded ones, after the trigger job's own variables, as Ci::Bridge orders them).
    private static List<JobVariable> External(JobRunContext run, TriggerSpec spec, DownstreamPipeline child)
    {
        var external = run.External.Where(v => !v.IsPipelineVariable).ToList();
        var parentPipeline = run.External.Where(v => v.IsPipelineVariable).ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var (name, variable) in child.Forwarded)
            external.Add(spec.ForwardPipelineVariables && parentPipeline.TryGetValue(name, out var given) && given.Value == variable.Value
                ? given
                : new JobVariable(name, variable.Value, Expand: variable.Expand) { IsPipelineVariable = true });
        return external;
    }
}
