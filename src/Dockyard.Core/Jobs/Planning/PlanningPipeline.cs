using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Jobs.ContainerCommands;
using Dockyard.Jobs.Variables;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Jobs.Planning;

/// <summary>One script line of a job after variable expansion: its simple commands and where it was written.</summary>
/// <param name="Section"><c>before_script</c>, <c>script</c> or <c>after_script</c>.</param>
/// <param name="Number">The line's number within its section (from 1).</param>
/// <param name="Text">The line as written.</param>
/// <param name="Commands">Its simple commands, expanded with the job's variables.</param>
/// <param name="Variables">The variables it references (names only).</param>
/// <param name="Location">Where the line is written (the job's key when unknown).</param>
internal sealed record ExpandedScriptLine(string Section, int Number, string Text, IReadOnlyList<ScriptCommand> Commands, IReadOnlyList<string> Variables,
    SourceLocation Location);

/// <summary>
/// A pipeline loaded as <c>ci plan</c> and the job engine see it without running anything: the checkout, the predefined
/// variables computed locally (git, the environment, the trigger), the resolved pipeline, each job's variables as the
/// runner would give them and each script line expanded with them. Shared by <see cref="JobPlanner"/> and the
/// project-image use case (the pipeline job that builds a project's Dockerfile).
/// </summary>
internal sealed class PlanningPipeline(HostContext host, JobRunOptions options, string projectDirectory, IReadOnlyDictionary<string, string> predefined, Pipeline pipeline)
{
    private static readonly string[] Sections = ["before_script", "script", "after_script"];

    /// <summary>The checkout (<c>CI_PROJECT_DIR</c>): the directory the jobs' scripts run in.</summary>
    public string ProjectDirectory { get; } = projectDirectory;

    /// <summary>The predefined variables of the pipeline, computed locally.</summary>
    public IReadOnlyDictionary<string, string> Predefined { get; } = predefined;

    /// <summary>The resolved pipeline.</summary>
    public Pipeline Pipeline { get; } = pipeline;

    /// <summary>Loads the pipeline of <paramref name="options"/>; <paramref name="predefined"/> replaces the locally computed variables when given.</summary>
    /// <exception cref="DockyardException">No such directory, or the pipeline file is not valid.</exception>
    public static PlanningPipeline Load(HostContext host, JobRunOptions options, IReadOnlyDictionary<string, string>? predefined = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var projectDirectory = host.FullPath(options.ProjectDirectory);
        if (!Directory.Exists(projectDirectory))
            throw new DockyardException($"{options.ProjectDirectory}: project directory not found. Pass an existing directory with --cwd.");
        predefined ??= PredefinedVariables.Compute(new PredefinedVariablesContext(projectDirectory)
        {
            Environment = host.Variables,
            ConfigPath = options.File.Replace('\\', '/'),
            Trigger = options.Trigger,
        });
        return new PlanningPipeline(host, options, projectDirectory, predefined, new JobEngine(host).Load(options, predefined));
    }

    /// <summary>The same pipeline as it would be created for a push to the default branch (<c>CI_DEFAULT_BRANCH</c>).</summary>
    public PlanningPipeline OnDefaultBranch()
    {
        var branch = Predefined.GetValueOrDefault("CI_DEFAULT_BRANCH") ?? "main";
        if (Predefined.GetValueOrDefault("CI_COMMIT_BRANCH") == branch && Predefined.GetValueOrDefault("CI_PIPELINE_SOURCE") == "push") return this;
        var predefined = Predefined.Where(v => !v.Key.StartsWith("CI_MERGE_REQUEST_", StringComparison.Ordinal) && v.Key is not ("CI_COMMIT_TAG" or "CI_COMMIT_TAG_MESSAGE"))
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        predefined["CI_COMMIT_BRANCH"] = predefined["CI_COMMIT_REF_NAME"] = branch;
        predefined["CI_COMMIT_REF_SLUG"] = Slug.Slugify(branch);
        predefined["CI_COMMIT_REF_PROTECTED"] = "true";
        predefined["CI_PIPELINE_SOURCE"] = "push";
        return Load(host, options, predefined);
    }

    /// <summary>The variables job <paramref name="job"/> runs with (predefined, runner, YAML, the run's variables, a surrounding GitLab job's).</summary>
    public JobEnvironment Environment(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var runner = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CI"] = "true", ["GITLAB_CI"] = "true", ["CI_SERVER"] = "yes", ["CI_PROJECT_DIR"] = ProjectDirectory, ["CI_JOB_STATUS"] = "running",
        };
        var names = new HashSet<string>(Predefined.Keys, StringComparer.Ordinal);
        names.UnionWith(runner.Keys);
        // File variables hold a path when the job runs; planning names them instead of writing their content anywhere.
        var external = options.Variables.Select(v => v.IsFile ? v with { Value = $"<file variable {v.Name}>", IsFile = false, Expand = false } : v).ToList();
        return new JobEnvironmentBuilder(Path.Combine(Path.GetTempPath(), "dockyard-plan-unused"))
            .AddPredefined(Predefined)
            .AddPredefined(PredefinedVariables.ForJob(job.Name, job.Stage, job.NodeIndex, job.NodeTotal))
            .AddPredefined(runner)
            .AddYaml(job.Variables)
            .AddExternal(external)
            .AddSurroundingGitLabJob(host.Variables, names)
            .Build();
    }

    /// <summary>Whether <paramref name="variables"/>' <c>CI_REGISTRY</c> is only the predefined stand-in of a local run (the shell executor's rule).</summary>
    public bool IsLocalRegistry(IReadOnlyDictionary<string, string> variables) =>
        Shell.ShellExecutor.IsLocalRegistry(host, options.Variables, Predefined, variables);

    /// <summary>Every script line of <paramref name="job"/> in the order bash runs them, expanded with <paramref name="variables"/>.</summary>
    public static IEnumerable<ExpandedScriptLine> Lines(Job job, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(variables);
        var scripts = new[] { job.BeforeScript, job.Script, job.AfterScript };
        for (int s = 0; s < Sections.Length; s++)
        {
            var nodes = ScriptLines.Scalars(job.Definition[Sections[s]], job.Name, Sections[s]);
            for (int n = 0; n < scripts[s].Count; n++)
            {
                var text = scripts[s][n];
                var referenced = new SortedSet<string>(StringComparer.Ordinal);
                var commands = ScriptCommands.Split(text, name => variables.GetValueOrDefault(name), referenced);
                var location = n < nodes.Count && nodes[n].Location.Line > 0 ? nodes[n].Location : job.Location;
                yield return new ExpandedScriptLine(Sections[s], n + 1, text, commands, referenced.ToList(), location);
            }
        }
    }

    /// <summary>
    /// The container tool a command calls, as its shim would be reached: <c>docker</c>, <c>buildah</c>, <c>podman</c>, or
    /// <see cref="KanikoPaths.Tool"/> for <c>/kaniko/executor</c>; <c>null</c> for any other command.
    /// </summary>
    public static string? ContainerTool(ScriptCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Words[0] == KanikoPaths.Executor) return KanikoPaths.Tool;
        var tool = Path.GetFileName(command.Words[0]);
        return tool is "docker" or "buildah" or "podman" ? tool : null;
    }
}
