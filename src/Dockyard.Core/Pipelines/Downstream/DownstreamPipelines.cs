using Dockyard.Diagnostics;
using Dockyard.Pipelines.Includes;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Pipelines.Downstream;

/// <summary>
/// Loads what trigger jobs start, as GitLab's <c>Ci::CreateDownstreamPipelineService</c> does for a child pipeline:
/// the configuration <c>{include: trigger:include}</c> of the same project and commit, <c>CI_PIPELINE_SOURCE</c>
/// <c>parent_pipeline</c>, and as pipeline variables what <c>trigger:forward</c> passes (<c>Ci::Bridge#downstream_variables</c>:
/// the trigger job's variables, expanded in the parent, then with <c>pipeline_variables: true</c> the parent's pipeline
/// variables). Child pipelines nest at most <see cref="MaxDepth"/> levels below the parent.
/// </summary>
public static class DownstreamPipelines
{
    /// <summary>GitLab's <c>MAX_NESTED_CHILDREN</c>: a parent, a child, a grandchild.</summary>
    public const int MaxDepth = 2;

    /// <summary>
    /// What every trigger job of <paramref name="pipeline"/> that runs starts, nested children included. Children whose
    /// configuration is a job's artifact are described, not loaded (the artifact exists only once that job ran).
    /// </summary>
    /// <param name="options">The options <paramref name="pipeline"/> was loaded with.</param>
    /// <param name="pipeline">The parent pipeline.</param>
    public static IReadOnlyList<DownstreamPipeline> Load(PipelineOptions options, Pipeline pipeline) => Load(options, pipeline, 1);

    private static List<DownstreamPipeline> Load(PipelineOptions options, Pipeline pipeline, int depth)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        var result = new List<DownstreamPipeline>();
        if (pipeline.NoPipelineReason is not null) return result;
        foreach (var job in pipeline.ActiveJobs.Where(j => j.Trigger is not null))
        {
            var spec = TriggerSpec.Read(job.Trigger!, job.Name);
            if (!spec.IsChild || spec.ArtifactIncludes.Count > 0)
            {
                result.Add(new DownstreamPipeline(job, spec) { Depth = depth, Forwarded = Forwarded(job, spec, options, PipelineLoader.Predefined(options)) });
                continue;
            }
            var child = LoadChild(options, job, spec, depth, artifacts: null);
            result.Add(child with { Downstream = Load(child.Options!, child.Pipeline!, depth + 1) });
        }
        return result;
    }

    /// <summary>
    /// Loads the child pipeline of trigger job <paramref name="trigger"/> (at <paramref name="depth"/> below the parent);
    /// <paramref name="artifacts"/> finds <c>artifact:</c> includes (a job's stored artifact: path relative to the project
    /// display, full path), or is null before any job ran.
    /// </summary>
    /// <exception cref="SourceException">The child's configuration is invalid, or the pipelines nest too deep.</exception>
    public static DownstreamPipeline LoadChild(PipelineOptions options, Job trigger, TriggerSpec spec, int depth,
        Func<string, string, string?>? artifacts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.IsChild) throw new ArgumentException("not a child pipeline trigger", nameof(spec));
        if (depth > MaxDepth)
            throw new SourceException(spec.Location, $"job '{trigger.Name}': child pipelines nest at most {MaxDepth} levels below the parent (GitLab: reached_max_descendant_pipelines_depth).",
                "Start this pipeline's jobs from its parent instead of from a child's child.");
        var parentPredefined = PipelineLoader.Predefined(options);
        var forwarded = Forwarded(trigger, spec, options, parentPredefined);
        var childPredefined = new Dictionary<string, string>(parentPredefined, StringComparer.Ordinal) { ["CI_PIPELINE_SOURCE"] = "parent_pipeline" };
        var childOptions = new PipelineOptions
        {
            ProjectDirectory = options.ProjectDirectory,
            File = options.File,
            ProjectVariables = options.ProjectVariables,
            Variables = forwarded.ToDictionary(kv => kv.Key, kv => kv.Value.Value, StringComparer.Ordinal),
            IncludeCacheDirectory = options.IncludeCacheDirectory,
            GitLabUrl = options.GitLabUrl,
            PredefinedVariables = childPredefined,
            Environment = options.Environment,
            Trigger = options.Trigger,
        };
        Func<string, string, Diagnostics.SourceLocation, IncludeSource>? artifactSource = artifacts is null ? null : (job, path, at) =>
        {
            var full = artifacts(job, path)
                ?? throw new SourceException(at, $"job '{job}' left no artifact '{path}' for the child pipeline of '{trigger.Name}'.",
                    $"Make job '{job}' write {path} and list it under artifacts:paths, and let it run before '{trigger.Name}'.");
            return new IncludeSource(full, $"{job}:{path}", Path.GetFullPath(options.ProjectDirectory), "");
        };
        var pipeline = PipelineLoader.LoadChild(childOptions, spec.Include!, artifactSource);
        return new DownstreamPipeline(trigger, spec) { Pipeline = pipeline, Options = childOptions, Forwarded = forwarded, Depth = depth };
    }

    private static Dictionary<string, PipelineVariable> Forwarded(Job trigger, TriggerSpec spec, PipelineOptions options, IReadOnlyDictionary<string, string> predefined)
    {
        var jobPredefined = PredefinedVariables.ForJob(trigger.Name, trigger.Stage, trigger.NodeIndex, trigger.NodeTotal);
        string? Lookup(string name) =>
            options.Variables.TryGetValue(name, out var p) ? p
            : options.ProjectVariables.TryGetValue(name, out var project) ? project
            : trigger.Variables.TryGetValue(name, out var j) ? j.Value
            : jobPredefined.TryGetValue(name, out var jp) ? jp
            : predefined.GetValueOrDefault(name);
        var forwarded = new Dictionary<string, PipelineVariable>(StringComparer.Ordinal);
        if (spec.ForwardYamlVariables)
            foreach (var (name, variable) in trigger.Variables)
                forwarded[name] = variable.Expand ? new PipelineVariable(VariableExpander.Expand(variable.Value, Lookup)) : variable;
        if (spec.ForwardPipelineVariables)
            foreach (var (name, value) in options.Variables) forwarded[name] = new PipelineVariable(value);
        return forwarded;
    }
}
