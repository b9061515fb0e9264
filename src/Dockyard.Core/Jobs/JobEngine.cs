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
    public Pipeline Load(JobRunOptions options, IReadOnlyDictionary<string, string> predefined) =>
        LoadLogged(PipelineOptionsOf(options, predefined));

    // Where each fetched include came from goes to the log, as for every pipeline load.
    private Pipeline LoadLogged(PipelineOptions options)
    {
        var pipeline = PipelineLoader.Load(options);
        foreach (var origin in pipeline.IncludeOrigins)
            host.Logger.LogInformation("{Origin}", origin.ToString());
        return pipeline;
    }

    private PipelineOptions PipelineOptionsOf(JobRunOptions options, IReadOnlyDictionary<string, string> predefined)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pipelineVariables = new Dictionary<string, string>(StringComparer.Ordinal);
        var projectVariables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in options.Variables) (v.IsPipelineVariable ? pipelineVariables : projectVariables)[v.Name] = v.Value;
        return new PipelineOptions
        {
            ProjectDirectory = host.FullPath(options.ProjectDirectory),
            File = options.File,
            Variables = pipelineVariables,
            ProjectVariables = projectVariables,
            IncludeCacheDirectory = options.IncludeCacheDirectory is { } cache ? host.FullPath(cache) : null,
            GitLabUrl = options.GitLabUrl,
            PredefinedVariables = predefined,
            Environment = host.Variables,
            Trigger = options.Trigger,
        };
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
            Trigger = options.Trigger,
        });
        var pipelineOptions = PipelineOptionsOf(options, predefined);
        var pipeline = LoadLogged(pipelineOptions);
        // GitLab creates no pipeline (workflow:rules, every job excluded, only .pre/.post): --pipeline runs nothing.
        if (options.Selection.Pipeline && pipeline.NoPipelineReason is { } reason)
            return new RunResult([], watch.Elapsed) { NoPipelineReason = reason };
        var plan = RunPlanner.Plan(pipeline, options.Selection);
        await using var docker = await Docker.DockerChoice.DecideAsync(host, plan, options.Executor, predefined, options.Variables, cancellation).ConfigureAwait(false);
        var layout = new DockyardLayout(projectDirectory);
        using var hold = await RunLock.AcquireAsync(layout, host.Logger, cancellation).ConfigureAwait(false);
        Directory.CreateDirectory(layout.Builds);
        var sources = await SourceFiles.ListAsync(projectDirectory, cancellation).ConfigureAwait(false);
        var run = new JobRunContext(host, layout, predefined, options.Variables, sources, log, options)
        {
            Slugs = RunPlanner.Slugs(pipeline.Jobs),
        };
        using var scheduler = new RunScheduler(Math.Max(1, options.Concurrency), cancellation);
        var results = await scheduler.RunAsync(plan, run, docker, pipelineOptions, depth: 0).ConfigureAwait(false);
        if (options.ArtifactsToSource)
            foreach (var planned in plan.Where(p => run.Artifacts.Exists(p.Slug)))
                run.Artifacts.CopyTo(planned.Slug, projectDirectory);
        return new RunResult(results, watch.Elapsed);
    }
}
