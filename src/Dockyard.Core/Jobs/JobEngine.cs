using System.Collections.Concurrent;
using System.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Shell;
using Dockyard.Jobs.Workspace;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Variables;
using Microsoft.Extensions.Logging;

namespace Dockyard.Jobs;

/// <summary>
/// Runs jobs of a pipeline as GitLab Runner would (docs/jobs.md): loads the pipeline, plans the selection, starts every
/// job as soon as what it waits for has ended and its <c>when</c> allows, at most <see cref="JobRunOptions.Concurrency"/>
/// at once, and returns each job's result. Cancellation (Ctrl+C) kills running jobs' process groups, still runs their
/// <c>after_script</c>, and marks the rest canceled.
/// </summary>
public sealed class JobEngine(HostContext host)
{
    /// <summary>Loads the pipeline of <paramref name="options"/> (with the run's variables, so rules see them).</summary>
    public Pipeline Load(JobRunOptions options, IReadOnlyDictionary<string, string> predefined)
    {
        ArgumentNullException.ThrowIfNull(options);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in options.Variables) variables[v.Name] = v.Value;
        var pipeline = PipelineLoader.Load(new PipelineOptions
        {
            ProjectDirectory = host.FullPath(options.ProjectDirectory),
            File = options.File,
            Variables = variables,
            IncludeCacheDirectory = options.IncludeCacheDirectory is { } cache ? host.FullPath(cache) : null,
            GitLabUrl = options.GitLabUrl,
            PredefinedVariables = predefined,
            Environment = host.Variables,
        });
        foreach (var origin in pipeline.IncludeOrigins)
            host.Logger.LogInformation("{Origin}", origin.ToString());
        return pipeline;
    }

    /// <summary>Runs the selection of <paramref name="options"/>, printing to <paramref name="log"/>.</summary>
    public async Task<RunResult> RunAsync(JobRunOptions options, IJobLog log, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var watch = Stopwatch.StartNew();
        var projectDirectory = host.FullPath(options.ProjectDirectory);
        if (!Directory.Exists(projectDirectory))
            throw new Diagnostics.DockyardException($"{options.ProjectDirectory}: project directory not found. Pass an existing directory with --cwd.");
        foreach (var variable in options.Variables.Where(v => v.Masked)) host.Masker.Add(variable.Value);
        var predefined = PredefinedVariables.Compute(new PredefinedVariablesContext(projectDirectory)
        {
            Environment = host.Variables,
            ConfigPath = options.File.Replace('\\', '/'),
        });
        var pipeline = Load(options, predefined);
        // GitLab creates no pipeline (workflow:rules, every job excluded, only .pre/.post): --pipeline runs nothing.
        if (options.Selection.Pipeline && pipeline.NoPipelineReason is { } reason)
            return new RunResult([], watch.Elapsed) { NoPipelineReason = reason };
        var plan = RunPlanner.Plan(pipeline, options.Selection);
        await using var docker = await Docker.DockerChoice.DecideAsync(host, plan, options.Executor, cancellation).ConfigureAwait(false);
        var layout = new DockyardLayout(projectDirectory);
        using var hold = await RunLock.AcquireAsync(layout, host.Logger, cancellation).ConfigureAwait(false);
        Directory.CreateDirectory(layout.Builds);
        var sources = await SourceFiles.ListAsync(projectDirectory, cancellation).ConfigureAwait(false);
        var run = new JobRunContext(host, layout, predefined, options.Variables, sources, log, options)
        {
            Slugs = RunPlanner.Slugs(pipeline.Jobs),
        };
        var results = await ScheduleAsync(plan, run, docker, Math.Max(1, options.Concurrency), cancellation).ConfigureAwait(false);
        if (options.ArtifactsToSource)
            foreach (var planned in plan.Where(p => run.Artifacts.Exists(p.Slug)))
                run.Artifacts.CopyTo(planned.Slug, projectDirectory);
        return new RunResult(results, watch.Elapsed);
    }

    private static async Task<IReadOnlyList<JobResult>> ScheduleAsync(IReadOnlyList<PlannedJob> plan, JobRunContext run, Docker.DockerChoice docker, int concurrency, CancellationToken cancellation)
    {
        var completions = plan.ToDictionary(p => p.Job.Name, _ => new TaskCompletionSource<JobResult>(TaskCreationOptions.RunContinuationsAsynchronously), StringComparer.Ordinal);
        using var slots = new SemaphoreSlim(concurrency);
        var freeIds = new ConcurrentStack<int>(Enumerable.Range(0, concurrency).Reverse());
        var executor = new ShellExecutor(run);
        var containers = docker.Engine is { } engine ? new Docker.DockerExecutor(run, engine) : null;

        async Task RunOne(PlannedJob planned)
        {
            JobResult result;
            try
            {
                var waited = new List<JobResult>();
                foreach (var name in planned.WaitsFor) waited.Add(await completions[name].Task.ConfigureAwait(false));
                var decision = WhenDecision.Decide(planned, waited);
                if (decision is null && cancellation.IsCancellationRequested) decision = (JobStatus.Canceled, "the run was canceled");
                if (decision is { } notRun)
                {
                    result = new JobResult(planned.Job.Name, planned.Job.Stage, notRun.Status, planned.Job.AllowFailure, null, TimeSpan.Zero, 0, notRun.Reason);
                }
                else
                {
                    await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                    freeIds.TryPop(out var slot);
                    try
                    {
                        if (cancellation.IsCancellationRequested)
                        {
                            result = new JobResult(planned.Job.Name, planned.Job.Stage, JobStatus.Canceled, false, null, TimeSpan.Zero, 0, "the run was canceled");
                        }
                        else
                        {
                            run.Log.Started(planned.Job.Name);
                            result = containers is not null && docker.Uses(planned)
                                ? await containers.RunAsync(planned, slot, cancellation).ConfigureAwait(false)
                                : await executor.RunAsync(planned, slot, cancellation).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        freeIds.Push(slot);
                        slots.Release();
                    }
                }
            }
            catch (Exception ex) when (ex is Diagnostics.DockyardException or IOException or UnauthorizedAccessException)
            {
                run.Log.Line(planned.Job.Name, $"ERROR: {ex.Message}");
                result = new JobResult(planned.Job.Name, planned.Job.Stage, JobStatus.Failed, false, null, TimeSpan.Zero, 1, "runner_system_failure");
            }

            run.Log.Finished(result);
            completions[planned.Job.Name].SetResult(result);
        }

        var tasks = plan.Select(p => Task.Run(() => RunOne(p), CancellationToken.None)).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return plan.Select(p => completions[p.Job.Name].Task.Result).ToList();
    }
}
