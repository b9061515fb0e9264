using Dockyard.Diagnostics;
using Dockyard.Pipelines.Expressions;
using Dockyard.Pipelines.Globbing;
using Dockyard.Pipelines.Includes;
using Dockyard.Pipelines.Includes.Remote;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Rules;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Pipelines;

/// <summary>
/// Loads a <c>.gitlab-ci.yml</c> the way GitLab does: includes (depth-first, merged) → <c>extends</c> → <c>!reference</c>
/// → <c>default</c>/<c>inherit</c> → stages, <c>workflow:rules</c>, jobs (rules or only/except, parallel/matrix) → needs.
/// Every problem is a <see cref="SourceException"/> naming file:line:column and what to do.
/// </summary>
public static class PipelineLoader
{
    /// <summary>Loads and resolves the pipeline described by <paramref name="options"/>.</summary>
    public static Pipeline Load(PipelineOptions options)
    {
        var projectDirectory = Path.GetFullPath(options.ProjectDirectory);
        if (!Directory.Exists(projectDirectory))
            throw new DockyardException($"{options.ProjectDirectory}: project directory not found. Pass an existing directory with --cwd.");
        var file = options.File.Replace('\\', '/');
        var predefined = options.PredefinedVariables ?? PredefinedVariables.Compute(new PredefinedVariablesContext(projectDirectory)
        {
            Environment = options.Environment,
            ConfigPath = file,
        });
        string? PipelineLookup(string name) =>
            options.Variables.TryGetValue(name, out var v) ? v : predefined.TryGetValue(name, out var p) ? p : null;

        var conditions = Conditions(projectDirectory, predefined.GetValueOrDefault("CI_DEFAULT_BRANCH"));
        var rules = new RulesEvaluator(conditions);
        using var fetcher = new IncludeFetcher(options.GitLabUrl, options.Environment,
            Path.Combine(projectDirectory, ".dockyard", "includes"), projectDirectory);
        var includes = new IncludeResolver(
            new IncludeCache(options.IncludeCacheDirectory), fetcher,
            text => VariableExpander.Expand(text, PipelineLookup),
            (node, _) => rules.Evaluate(node, "include", RulesEvaluator.Context.Include, PipelineLookup).Included,
            (root, pattern) => PathGlob.Enumerate(root, pattern, PathGlobSyntax.IncludeWildcard).Order(StringComparer.Ordinal));
        var fullPath = Path.IsPathRooted(file) ? file : Path.Combine(projectDirectory, file);
        var config = includes.Load(new IncludeSource(fullPath, file, projectDirectory, ""));
        var builder = new PipelineBuilder(config, conditions, predefined, options.Variables,
            job => PredefinedVariables.ForJob(job.Name, job.Stage, job.NodeIndex, job.NodeTotal));
        return builder.Build(includes.Files, includes.Origins);
    }

    private static RuleConditions Conditions(string projectDirectory, string? defaultBranch)
    {
        var expressions = new Dictionary<(string, SourceLocation), RuleExpression>();
        var globs = new Dictionary<string, PathGlob>(StringComparer.Ordinal);
        var exists = new Dictionary<string, bool>(StringComparer.Ordinal);
        var changes = new GitChangedFiles(projectDirectory, defaultBranch);
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
                // changes.rb: no list of changed paths (a new branch) → true.
                return changes.Against(compareTo) is not { } changed || changed.Any(glob.IsMatch);
            },
            Expand: (text, lookup) => VariableExpander.ExpandExisting(text, lookup));
    }
}
