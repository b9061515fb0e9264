using Dockyard.Diagnostics;
using Dockyard.Pipelines.Expressions;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Rules;

/// <summary>
/// Evaluates the deprecated <c>only</c>/<c>except</c>: a job runs when <c>only</c> matches (default
/// <c>[branches, tags]</c>) and <c>except</c> does not. Lists are <c>refs</c>; hashes have <c>refs</c>,
/// <c>variables</c> (expressions, any may match), <c>changes</c> and <c>kubernetes</c>; all given keys must match.
/// </summary>
internal sealed class OnlyExceptEvaluator(RuleConditions conditions)
{
    private static readonly HashSet<string> HashKeys = ["refs", "variables", "changes", "kubernetes"];

    private readonly Dictionary<string, RefPattern> _patterns = new(StringComparer.Ordinal);

    /// <summary>True when the job is part of the pipeline according to its <c>only</c>/<c>except</c>.</summary>
    public bool Includes(YamlNode? only, YamlNode? except, string job, Func<string, string?> variables)
    {
        bool onlyMatches = only is null or YamlScalar { IsNull: true } ? DefaultOnly(variables) : Matches(only, job, "only", variables);
        bool exceptMatches = except is not null and not YamlScalar { IsNull: true } && Matches(except, job, "except", variables);
        return onlyMatches && !exceptMatches;
    }

    // only: [branches, tags]
    private static bool DefaultOnly(Func<string, string?> variables) =>
        !string.IsNullOrEmpty(variables("CI_COMMIT_TAG"))
        || variables("CI_PIPELINE_SOURCE") is not ("merge_request_event" or "external_pull_request_event");

    private bool Matches(YamlNode node, string job, string key, Func<string, string?> variables)
    {
        switch (node)
        {
            case YamlScalar or YamlSequence:
                return Refs(node, job, key, variables);
            case YamlMapping map:
                foreach (var e in map.Entries)
                    if (!HashKeys.Contains(e.Key))
                        throw new SourceException(e.KeyLocation, $"job '{job}': unknown {key} keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, HashKeys)}.",
                            "Use refs, variables, changes or kubernetes (or move to rules:).");
                bool result = true;
                if (map["refs"] is { } refs) result &= Refs(refs, job, key, variables);
                if (map["variables"] is { } expressions) result &= Variables(expressions, job, key, variables);
                if (map["changes"] is { } changes) result &= Strings(changes, job, key).Any(p => conditions.Changed(conditions.Expand(p, variables), null));
                if (map["kubernetes"] is { } k and not YamlScalar { IsNull: true })
                    result &= KubernetesActive(k, job, key, variables);
                return result;
            default:
                throw new SourceException(node.Location, $"job '{job}': {key} must be a list of refs or a hash, not {node.KindName}.", null);
        }
    }

    // config/entry/policy.rb: `validates :kubernetes, allowed_values: %w[active]`; build/policy/kubernetes.rb:
    // `pipeline.has_kubernetes_active?`, which is also what sets CI_KUBERNETES_ACTIVE=true (variables/builder/pipeline.rb).
    private static bool KubernetesActive(YamlNode node, string job, string key, Func<string, string?> variables) =>
        node is YamlScalar { Text: "active" }
            ? variables("CI_KUBERNETES_ACTIVE") == "true"
            : throw new SourceException(node.Location, $"job '{job}': {key}:kubernetes must be active, not {(node is YamlScalar s ? $"'{s.Text}'" : node.KindName)}.",
                "Write kubernetes: active (true when the project has an active Kubernetes integration).");

    private bool Variables(YamlNode node, string job, string key, Func<string, string?> variables)
    {
        var items = node switch
        {
            YamlSequence list => ScriptLines.Flatten(list, $"job '{job}': {key}:variables"),
            _ => [node],
        };
        foreach (var item in items)
        {
            if (item is not YamlScalar { IsNull: false } s)
                throw new SourceException(item.Location, $"job '{job}': {key}:variables entries must be expressions.", null);
            if (conditions.EvaluateIf(s.Text, s.Location, variables)) return true;
        }
        return false;
    }

    private bool Refs(YamlNode node, string job, string key, Func<string, string?> variables)
    {
        var source = variables("CI_PIPELINE_SOURCE") ?? "push";
        bool isTag = !string.IsNullOrEmpty(variables("CI_COMMIT_TAG"));
        var context = new RefContext(variables("CI_COMMIT_REF_NAME") ?? "", isTag,
            !isTag && source != "merge_request_event" && source != "external_pull_request_event", source, variables("CI_PROJECT_PATH") ?? "");
        foreach (var entry in Strings(node, job, key))
        {
            if (!_patterns.TryGetValue(entry, out var pattern)) _patterns[entry] = pattern = RefPattern.Parse(entry);
            if (pattern.IsMatch(context)) return true;
        }
        return false;
    }

    private static List<string> Strings(YamlNode node, string job, string key) => node switch
    {
        YamlScalar { IsNull: true } => [],
        YamlScalar s => [s.Text],
        YamlSequence list => ScriptLines.Flatten(list, $"job '{job}': {key}").Select(i => i is YamlScalar s ? s.Text
            : throw new SourceException(i.Location, $"job '{job}': {key} entries must be strings, not {i.KindName}.", null)).ToList(),
        _ => throw new SourceException(node.Location, $"job '{job}': {key} must be a list of strings.", null),
    };
}
