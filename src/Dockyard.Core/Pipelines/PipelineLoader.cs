using Dockyard.Diagnostics;
using Dockyard.Pipelines.Expressions;
using Dockyard.Pipelines.Globbing;
using Dockyard.Pipelines.Includes;
using Dockyard.Pipelines.Includes.Remote;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Rules;
using Dockyard.Pipelines.Triggers;
using Dockyard.Pipelines.Variables;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines;

/// <summary>
/// Loads a <c>.gitlab-ci.yml</c> the way GitLab does: includes (depth-first, merged) → <c>extends</c> → <c>!reference</c>
/// → <c>default</c>/<c>inherit</c> → stages, <c>workflow:rules</c>, jobs (rules or only/except, parallel/matrix) → needs.
/// Every problem is a <see cref="SourceException"/> naming file:line:column and what to do.
/// </summary>
public static class PipelineLoader
{
    /// <summary>Loads and resolves the pipeline described by <paramref name="options"/>.</summary>
    public static Pipeline Load(PipelineOptions options) => Load(options, null, null);

    /// <summary>
    /// Loads the child pipeline that a trigger job's <c>trigger:include</c> describes: <paramref name="options"/> are the
    /// child's (its variables are what the trigger forwards; its predefined variables say <c>parent_pipeline</c>).
    /// </summary>
    internal static Pipeline LoadChild(PipelineOptions options, YamlNode include, Func<string, string, SourceLocation, IncludeSource>? artifacts) =>
        Load(options, include, artifacts);

    /// <summary>The pipeline-level predefined variables of <paramref name="options"/> (given, or computed from git and the environment).</summary>
    internal static IReadOnlyDictionary<string, string> Predefined(PipelineOptions options) =>
        options.PredefinedVariables ?? PredefinedVariables.Compute(new PredefinedVariablesContext(Path.GetFullPath(options.ProjectDirectory))
        {
            Environment = options.Environment,
            ConfigPath = options.File.Replace('\\', '/'),
            Trigger = options.Trigger,
        });

    private static Pipeline Load(PipelineOptions options, YamlNode? childInclude, Func<string, string, SourceLocation, IncludeSource>? artifacts)
    {
        var projectDirectory = Path.GetFullPath(options.ProjectDirectory);
        if (!Directory.Exists(projectDirectory))
            throw new DockyardException($"{options.ProjectDirectory}: project directory not found. Pass an existing directory with --cwd.");
        var file = options.File.Replace('\\', '/');
        var predefined = Predefined(options);
        var variables = new Dictionary<string, string>(options.ProjectVariables, StringComparer.Ordinal);
        foreach (var (name, value) in options.Variables) variables[name] = value;
        string? PipelineLookup(string name) =>
            variables.TryGetValue(name, out var v) ? v : predefined.TryGetValue(name, out var p) ? p : null;

        var conditions = Conditions(projectDirectory, GitChangedFiles.PipelineBase(predefined));
        var rules = new RulesEvaluator(conditions);
        using var fetcher = new IncludeFetcher(options.GitLabUrl, options.Environment,
            Path.Combine(projectDirectory, ".dockyard", "includes"), projectDirectory);
        var includes = new IncludeResolver(
            new IncludeCache(options.IncludeCacheDirectory), fetcher,
            text => VariableExpander.Expand(text, PipelineLookup),
            (node, _) => rules.Evaluate(node, "include", RulesEvaluator.Context.Include, PipelineLookup).Included,
            (root, pattern) => PathGlob.Enumerate(root, pattern, PathGlobSyntax.IncludeWildcard).Order(StringComparer.Ordinal))
        {
            Artifacts = artifacts,
        };
        var fullPath = Path.IsPathRooted(file) ? file : Path.Combine(projectDirectory, file);
        var root = new IncludeSource(fullPath, file, projectDirectory, "");
        var config = childInclude is null ? includes.Load(root) : includes.LoadChild(childInclude, root);
        var builder = new PipelineBuilder(config, conditions, predefined, variables,
            job => PredefinedVariables.ForJob(job.Name, job.Stage, job.NodeIndex, job.NodeTotal));
        return builder.Build(includes.Files, TriggerWarnings.For(options.Trigger, predefined, options.Environment, file), includes.Origins);
    }

    private static RuleConditions Conditions(string projectDirectory, string? pipelineBase)
    {
        var expressions = new Dictionary<(string, SourceLocation), RuleExpression>();
        var globs = new Dictionary<string, PathGlob>(StringComparer.Ordinal);
        var exists = new Dictionary<string, bool>(StringComparer.Ordinal);
        var changes = new GitChangedFiles(projectDirectory, pipelineBase);
        PathGlob Glob(string pattern)
        {
            if (!globs.TryGetValue(pattern, out var glob)) globs[pattern] = glob = PathGlob.Compile(pattern);
            return glob;
        }
        return new RuleConditions(
            EvaluateIf: (text, at, lookup) =>
            {
                if (!expressions.TryGetValue((text, at), out var expression))
                    expressions[(text, at)] = expression = RuleExpression.Parse(text, at);
                return expression.Evaluate(lookup);
            },
            Exists: pattern =>
            {
                if (!exists.TryGetValue(pattern, out var found))
                    exists[pattern] = found = Glob(pattern.TrimStart('/')).Enumerate(projectDirectory).Count > 0;
                return found;
            },
            Changed: (pattern, compareTo) =>
            {
                var glob = Glob(pattern.TrimStart('/'));
                // changes.rb and policy/changes.rb: no list of changed paths (a new branch, a schedule, ...) → true.
                return changes.Against(compareTo) is not { } changed || changed.Any(glob.IsMatch);
            },
            Expand: (text, lookup) => VariableExpander.ExpandExisting(text, lookup));
    }
}
