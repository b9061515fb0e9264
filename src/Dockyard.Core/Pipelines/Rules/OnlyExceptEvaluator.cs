using System.Text.RegularExpressions;
using Dockyard.Diagnostics;
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

    /// <summary>The pipeline source each ref keyword stands for (branches/tags are checked separately).</summary>
    private static readonly Dictionary<string, string[]> SourceKeywords = new(StringComparer.Ordinal)
    {
        ["merge_requests"] = ["merge_request_event"],
        ["pipelines"] = ["pipeline", "parent_pipeline"],
        ["pushes"] = ["push"],
        ["schedules"] = ["schedule"],
        ["triggers"] = ["trigger"],
        ["web"] = ["web"],
        ["api"] = ["api"],
        ["external"] = ["external"],
        ["chat"] = ["chat"],
        ["external_pull_requests"] = ["external_pull_request_event"],
    };

    /// <summary>True when the job is part of the pipeline according to its <c>only</c>/<c>except</c>.</summary>
    public bool Includes(YamlNode? only, YamlNode? except, string job, Func<string, string?> variables)
    {
        bool onlyMatches = only is null or YamlScalar { IsNull: true } ? DefaultOnly(variables) : Matches(only, job, "only", variables);
        bool exceptMatches = except is not null and not YamlScalar { IsNull: true } && Matches(except, job, "except", variables);
        return onlyMatches && !exceptMatches;
    }

    private static bool DefaultOnly(Func<string, string?> variables) =>
        !string.IsNullOrEmpty(variables("CI_COMMIT_BRANCH")) || !string.IsNullOrEmpty(variables("CI_COMMIT_TAG"))
        || string.IsNullOrEmpty(variables("CI_PIPELINE_SOURCE")) || variables("CI_PIPELINE_SOURCE") != "merge_request_event";

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
                if (map["kubernetes"] is YamlScalar { IsNull: false } k)
                    result &= k.Text == "active" && !string.IsNullOrEmpty(variables("KUBECONFIG"));
                return result;
            default:
                throw new SourceException(node.Location, $"job '{job}': {key} must be a list of refs or a hash, not {node.KindName}.", null);
        }
    }

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

    private static bool Refs(YamlNode node, string job, string key, Func<string, string?> variables)
    {
        var refName = variables("CI_COMMIT_REF_NAME") ?? "";
        var source = variables("CI_PIPELINE_SOURCE") ?? "push";
        bool isTag = !string.IsNullOrEmpty(variables("CI_COMMIT_TAG"));
        bool isBranch = !isTag && source != "merge_request_event";
        var projectPath = variables("CI_PROJECT_PATH") ?? "";
        foreach (var pattern in Strings(node, job, key))
        {
            var text = pattern;
            int at = text.LastIndexOf('@');
            if (at > 0 && !text.StartsWith('/'))
            {
                if (text[(at + 1)..] != projectPath) continue;
                text = text[..at];
            }
            bool match = text switch
            {
                "branches" => isBranch,
                "tags" => isTag,
                _ when SourceKeywords.TryGetValue(text, out var sources) => sources.Contains(source),
                _ when text.Length >= 2 && text[0] == '/' && text.LastIndexOf('/') > 0 => Regex(text, job, node.Location).IsMatch(refName),
                _ => text == refName,
            };
            if (match) return true;
        }
        return false;
    }

    private static Regex Regex(string literal, string job, SourceLocation at)
    {
        int end = literal.LastIndexOf('/');
        var options = RegexOptions.CultureInvariant;
        foreach (var flag in literal[(end + 1)..])
            options |= flag switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                _ => throw new SourceException(at, $"job '{job}': unknown regex flag '{flag}' in {literal}.", "Use i, m, s or x."),
            };
        try
        {
            return new Regex(literal[1..end], options, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new SourceException(at, $"job '{job}': invalid regex {literal}: {ex.Message}", "Fix the regular expression.", ex);
        }
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
