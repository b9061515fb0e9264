using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Jobs;
using Dockyard.Jobs.ContainerCommands;
using Dockyard.Jobs.ContainerCommands.Handlers;
using Dockyard.Jobs.Planning;
using Dockyard.Pipelines.Jobs;
using Dockyard.Registries.References;
using Microsoft.Extensions.Logging;

namespace Dockyard.UseCases.ProjectImages;

/// <summary>
/// The job of the repository's pipeline that builds a project's Dockerfile, and what its build line asks for: a
/// <c>docker build</c>/<c>buildx build</c>/<c>buildah bud|build</c>/<c>podman build</c> or <c>/kaniko/executor</c> line
/// whose Dockerfile (default <c>CONTEXT/Dockerfile</c>) is this one, read as <c>ci plan</c> reads it (variables expanded
/// as the job would have them, the predefined ones computed locally). Several such jobs: the first in pipeline order
/// that also runs on the default branch, else the first.
/// </summary>
/// <param name="Name">The job's name.</param>
/// <param name="Location">Where its build line is written.</param>
/// <param name="References">The names the job pushes (its <c>-t</c>/<c>--destination</c> names, and the <c>docker tag</c>
/// names of them, that a build <c>--push</c>, kaniko or a later <c>docker push</c> line pushes); all its names when it pushes none.</param>
/// <param name="Pushes">Whether the job pushes the image.</param>
/// <param name="ContextDirectory">The build context of the line (absolute).</param>
/// <param name="Target">Its <c>--target</c>.</param>
/// <param name="BuildArguments">Its <c>--build-arg</c>s, <c>NAME=VALUE</c> (a bare <c>NAME</c> takes the job's variable).</param>
/// <param name="LocalRegistry">The job's <c>$CI_REGISTRY</c> when it is only the stand-in of a local run (it stands for the local image store).</param>
/// <param name="Messages">Which job was taken and why, when several build the Dockerfile.</param>
internal sealed record PipelineImageJob(string Name, SourceLocation Location, IReadOnlyList<string> References, bool Pushes, string ContextDirectory,
    string? Target, IReadOnlyList<string> BuildArguments, string? LocalRegistry, IReadOnlyList<string> Messages)
{
    /// <summary>Where the job is, for messages: <c>NAME (.gitlab-ci.yml:LINE)</c>.</summary>
    public string Shown => $"{Name} ({Location.File}:{Location.Line})";

    /// <summary>
    /// The job of the pipeline of <paramref name="request"/>'s repository that builds <paramref name="dockerfile"/>; <c>null</c>
    /// when there is no pipeline file or no job builds it (<paramref name="messages"/> then says which file was read).
    /// </summary>
    /// <remarks>A pipeline that cannot be read (not valid, an include not reachable) is a warning: the image keeps the project's own names.</remarks>
    public static PipelineImageJob? Find(HostContext host, ProjectImageRequest request, string projectDirectory, string dockerfile, List<string> messages)
    {
        if (PipelineFile(host, request, projectDirectory) is not var (directory, file)) return null;
        PlanningPipeline pipeline;
        try
        {
            pipeline = PlanningPipeline.Load(host, new JobRunOptions
            {
                ProjectDirectory = directory, File = file, Variables = request.PipelineVariables, Trigger = request.PipelineTrigger, GitLabUrl = request.PipelineGitLabUrl,
            });
        }
        catch (DockyardException error)
        {
            var read = error.ToDiagnostic();
            Warn(host, read with
            {
                Severity = DiagnosticSeverity.Warning, Help = null,
                Message = $"{read.Message}{(read.Help is { } help ? " " + help : "")} The image keeps the project's own names (no pipeline job's tags); fix the pipeline, or set DockyardFromPipeline=false not to read it.",
                Setting = Setting.PipelineFile,
            });
            return null;
        }
        var shownFile = Path.Combine(pipeline.ProjectDirectory, file);
        var shownDockerfile = Path.GetRelativePath(pipeline.ProjectDirectory, dockerfile);
        if (!pipeline.Pipeline.Created)
        {
            messages.Add($"no tags from the pipeline: {shownFile}'s workflow:rules create no pipeline for this checkout");
            return null;
        }
        var stageIndex = pipeline.Pipeline.Stages.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        var found = pipeline.Pipeline.ActiveJobs
            .Select((job, order) => (job, order)).OrderBy(j => stageIndex.GetValueOrDefault(j.job.Stage)).ThenBy(j => j.order)
            .Select(j => Match(host, pipeline, j.job, dockerfile)).OfType<PipelineImageJob>().ToList();
        if (found.Count == 0)
        {
            messages.Add($"no job of {shownFile} builds {shownDockerfile} on this checkout: tags as the project says");
            return null;
        }
        if (found.Count == 1) return Valid(host, found[0]);
        var onDefault = pipeline.OnDefaultBranch();
        var defaultJobs = onDefault.Pipeline.ActiveJobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        var branch = onDefault.Predefined.GetValueOrDefault("CI_DEFAULT_BRANCH");
        var chosen = found.FirstOrDefault(j => defaultJobs.Contains(j.Name));
        var why = chosen is null ? "the first in pipeline order; none of them runs on the default branch " + branch
            : ReferenceEquals(chosen, found[0]) ? $"the first in pipeline order, and it runs on the default branch {branch}"
            : $"the first in pipeline order that runs on the default branch {branch}";
        chosen ??= found[0];
        return Valid(host, chosen with
        {
            Messages = [$"pipeline jobs {string.Join(", ", found.Select(j => j.Shown))} build {shownDockerfile}: took {chosen.Name}, {why}"],
        });
    }

    /// <summary>
    /// <paramref name="job"/> when every name it gives is an image reference; else a warning at its build line (a variable
    /// the job has only in GitLab, say, expands to nothing here) and <c>null</c>: the project's own names.
    /// </summary>
    private static PipelineImageJob? Valid(HostContext host, PipelineImageJob job)
    {
        foreach (var name in job.References)
            if (!ImageReference.TryParse(name, out _, out var error))
            {
                Warn(host, Diagnostic.Warning(DiagnosticCodes.ProjectImage,
                    $"pipeline job {job.Name} names the image '{name}', which is not an image reference here ({error}); the image keeps the project's own names. " +
                    "Give the variables the job has in GitLab (CiVariable items, CiVariablesFile), or set DockyardFromPipeline=false.",
                    job.Location) with { Setting = Setting.Variable });
                return null;
            }
        return job;
    }

    private static void Warn(HostContext host, Diagnostic warning) =>
        host.Logger.Log(LogLevel.Warning, new EventId(5001, warning.Code), warning, null, static (d, _) => d.ToString());

    /// <summary>
    /// The pipeline file: <paramref name="request"/>'s <see cref="ProjectImageRequest.PipelineDirectory"/>, else the first
    /// directory from the project's upward (up to the git checkout's root) that holds it.
    /// </summary>
    private static (string Directory, string File)? PipelineFile(HostContext host, ProjectImageRequest request, string projectDirectory)
    {
        var file = request.PipelineFile is { Length: > 0 } named ? named : ".gitlab-ci.yml";
        if (request.PipelineDirectory is { Length: > 0 } given)
        {
            var directory = host.FullPath(given);
            return File.Exists(Path.Combine(directory, file)) ? (directory, file) : null;
        }
        for (var directory = new DirectoryInfo(projectDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, file))) return (directory.FullName, file);
            if (Directory.Exists(Path.Combine(directory.FullName, ".git")) || File.Exists(Path.Combine(directory.FullName, ".git"))) return null;
        }
        return null;
    }

    /// <summary>The first build line of <paramref name="job"/> whose Dockerfile is <paramref name="dockerfile"/>, with what the job does with its names.</summary>
    private static PipelineImageJob? Match(HostContext host, PlanningPipeline pipeline, Job job, string dockerfile)
    {
        var environment = pipeline.Environment(job);
        foreach (var value in environment.MaskedValues) host.Masker.Add(value);
        var variables = environment.Variables;
        var jobHost = host.WithWorkingDirectory(pipeline.ProjectDirectory);
        PipelineImageJob? matched = null;
        var names = new List<string>();
        var pushed = new List<string>();
        foreach (var line in PlanningPipeline.Lines(job, variables))
            foreach (var command in line.Commands)
            {
                if (PlanningPipeline.ContainerTool(command) is not { } tool || Parse(tool, command) is not { } parsed) continue;
                switch (parsed)
                {
                    case KanikoCommand kaniko when matched is null && Builds(jobHost, kaniko.Build, kanikoRule: true, dockerfile):
                        matched = Of(job, line, kaniko.Build, jobHost, variables, pipeline);
                        names.AddRange(kaniko.Build.Tags);
                        if (!kaniko.NoPush) pushed.AddRange(kaniko.Build.Tags);
                        break;
                    case BuildCommand build when matched is null && Builds(jobHost, build, kanikoRule: false, dockerfile):
                        matched = Of(job, line, build, jobHost, variables, pipeline);
                        names.AddRange(build.Tags);
                        if (build.Push) pushed.AddRange(build.Tags);
                        break;
                    case TagCommand tag when matched is not null && names.Any(n => SameName(n, tag.Source)):
                        names.Add(tag.Target);
                        break;
                    case PushCommand push when matched is not null:
                        pushed.AddRange(names.Where(n => push.AllTags ? SameRepository(n, push.Reference) : SameName(n, push.Reference)));
                        break;
                }
            }
        if (matched is null) return null;
        var pushes = pushed.Count > 0;
        return matched with { References = (pushes ? pushed : names).Distinct(StringComparer.Ordinal).ToList(), Pushes = pushes };
    }

    private static ContainerCommand? Parse(string tool, ScriptCommand command)
    {
        try
        {
            return ContainerCommandParser.Parse(tool, command.Words.Skip(1).ToList());
        }
        catch (DockyardException)
        {
            return null; // the job would fail at this line (ci plan says so); it builds nothing to take names from
        }
    }

    // docker: -f is relative to the job's directory, default CONTEXT/Dockerfile; kaniko: a relative --dockerfile not there is in the context.
    private static bool Builds(HostContext jobHost, BuildCommand build, bool kanikoRule, string dockerfile)
    {
        var context = jobHost.FullPath(build.Context);
        var file = kanikoRule ? KanikoHandler.Dockerfile(jobHost, context, build.Dockerfile) : build.Dockerfile;
        var path = file is null ? Path.Combine(context, "Dockerfile") : jobHost.FullPath(file);
        return string.Equals(Path.GetFullPath(path), Path.GetFullPath(dockerfile), StringComparison.Ordinal);
    }

    private static PipelineImageJob Of(Job job, ExpandedScriptLine line, BuildCommand build, HostContext jobHost, IReadOnlyDictionary<string, string> variables,
        PlanningPipeline pipeline) =>
        new(job.Name, line.Location, [], false, jobHost.FullPath(build.Context), build.Target,
            build.BuildArgs.Select(a => a.Value is not null ? $"{a.Key}={a.Value}" : variables.TryGetValue(a.Key, out var value) ? $"{a.Key}={value}" : a.Key).ToList(),
            pipeline.IsLocalRegistry(variables) ? variables.GetValueOrDefault("CI_REGISTRY") : null, []);

    // docker's names: NAME means NAME:latest.
    private static bool SameName(string a, string b) => string.Equals(WithTag(a), WithTag(b), StringComparison.Ordinal);

    private static bool SameRepository(string name, string repository) => string.Equals(WithoutTag(name), WithoutTag(repository), StringComparison.Ordinal);

    private static string WithTag(string name) => name.Contains('@', StringComparison.Ordinal) || TagStart(name) >= 0 ? name : name + ":latest";

    private static string WithoutTag(string name) => TagStart(name) is var colon and >= 0 ? name[..colon] : name;

    private static int TagStart(string name)
    {
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? colon : -1;
    }
}
