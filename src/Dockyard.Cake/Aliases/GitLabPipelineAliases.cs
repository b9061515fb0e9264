using Dockyard.Hosting;
using Cake.Core;
using Cake.Core.Annotations;
using Dockyard.Cake.Hosting;
using Dockyard.Cake.Pipelines;
using Dockyard.Jobs;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;
using Dockyard.UseCases;

namespace Dockyard.Cake.Aliases;

/// <summary>GitLab CI pipelines in a Cake script: read one, get a task per job, run a job with Dockyard's job engine.</summary>
[CakeAliasCategory("Dockyard")]
[CakeNamespaceImport("Dockyard.Cake.Pipelines")]
[CakeNamespaceImport("Dockyard.Cake.Images")]
public static class GitLabPipelineAliases
{
    /// <summary>Reads and resolves <c>.gitlab-ci.yml</c> (or <see cref="GitLabPipelineSettings.File"/>) as GitLab would.</summary>
    /// <example><code>var pipeline = LoadGitLabPipeline(new GitLabPipelineSettings().WithFile("ci/.gitlab-ci.yml"));</code></example>
    [CakeMethodAlias]
    public static GitLabPipeline LoadGitLabPipeline(this ICakeContext context, GitLabPipelineSettings? settings = null)
    {
        settings ??= new GitLabPipelineSettings();
        return CakeCall.Run(context, async (host, _, cancellationToken) =>
        {
            var request = new PipelineRequest
            {
                ProjectDirectory = settings.WorkingDirectory, File = settings.File, Variables = new Dictionary<string, string>(settings.Variables),
                Trigger = settings.Trigger(), GitLabUrl = settings.GitLabUrl,
            };
            var result = await PipelineResolution.RunAsync(host, request, cancellationToken);
            return new GitLabPipeline(result.Pipeline, settings, host.FullPath(settings.WorkingDirectory ?? "."));
        });
    }

    /// <summary>
    /// Registers one Cake task per job (name = prefix + job name) depending on its <c>needs:</c>, else on the jobs of
    /// the earlier stages; <c>when: manual</c> jobs are registered but nothing depends on them.
    /// </summary>
    /// <example><code>RegisterGitLabJobs(LoadGitLabPipeline()); // dotnet cake --target=deploy</code></example>
    [CakeMethodAlias]
    public static void RegisterGitLabJobs(this ICakeContext context, GitLabPipeline pipeline, GitLabJobSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pipeline);
        settings ??= new GitLabJobSettings();
        var engine = context.ServiceProvider?.GetService(typeof(ICakeEngine)) as ICakeEngine
            ?? throw new CakeException("error DY0001: Cake's ICakeEngine is not available from context.ServiceProvider; RegisterGitLabJobs needs Cake 7 or later.");
        foreach (var job in pipeline.Jobs)
        {
            var task = engine.RegisterTask(settings.TaskPrefix + job.Name);
            foreach (var dependency in PipelineTasks.DependenciesOf(pipeline, job))
                task.IsDependentOn(settings.TaskPrefix + dependency);
            var name = job.Name;
            task.Does(c => RunJob(c, pipeline.Settings, name, settings));
        }
    }

    /// <summary>Runs one job of the pipeline with Dockyard's job engine (as <c>dockyard ci run JOB</c>); a failed job fails the task.</summary>
    /// <example><code>RunGitLabJob("unit-tests", new GitLabJobSettings().WithExecutor("shell"));</code></example>
    [CakeMethodAlias]
    public static void RunGitLabJob(this ICakeContext context, string name, GitLabJobSettings? settings = null) =>
        RunJob(context, new GitLabPipelineSettings(), name, settings ?? new GitLabJobSettings());

    private static void RunJob(ICakeContext context, GitLabPipelineSettings pipeline, string name, GitLabJobSettings settings)
    {
        var result = CakeCall.Run(context, async (host, session, cancellationToken) =>
        {
            var variables = new List<JobVariable>();
            if (settings.VariablesFile is { } file) variables.AddRange(VariablesFileReader.Read(host.FullPath(file)));
            variables.AddRange(settings.Variables.Select(v => new JobVariable(v.Key, v.Value) { IsPipelineVariable = true }));
            foreach (var (key, value) in pipeline.Variables) variables.Add(new JobVariable(key, value) { IsPipelineVariable = true });
            var options = new JobRunOptions
            {
                ProjectDirectory = pipeline.WorkingDirectory ?? ".",
                File = pipeline.File,
                Trigger = pipeline.Trigger(),
                GitLabUrl = pipeline.GitLabUrl,
                Variables = variables,
                Executor = string.Equals(settings.Executor, "shell", StringComparison.OrdinalIgnoreCase) ? ExecutorKind.Shell : ExecutorKind.Auto,
                Concurrency = 1,
                InPlace = settings.InPlace,
                ArtifactsToSource = settings.ArtifactsToSource,
                DockyardCommand = PackagedCli(),
                Selection = new RunSelection { Jobs = [name] },
            };
            return await new JobEngine(host).RunAsync(options, new CakeJobLog(session.Logger(context)), cancellationToken);
        });
        if (result.Failed)
            throw new CakeException($"GitLab job '{name}' failed: {string.Join(", ", result.Jobs.Where(j => j.FailsPipeline).Select(j => $"{j.Name} {j.StatusName}"))}.");
    }

    // The addin package's own dockyard CLI (cli/ beside lib/net10.0/), run by the dotnet host that runs Cake: a job's
    // docker/buildah/podman/kaniko shims call it, so Docker-in-Docker jobs run natively as under 'dockyard ci run'.
    private static IReadOnlyList<string>? PackagedCli() =>
        Path.GetDirectoryName(typeof(GitLabPipelineAliases).Assembly.Location) is { Length: > 0 } lib
            ? BundledCli.At(Path.Combine(lib, "..", "..", "cli", "dockyard.dll"), Environment.ProcessPath)
            : null;
}
