using Dockyard.Diagnostics;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Rules;

/// <summary>
/// Evaluates <c>rules:</c> lists (job, <c>workflow</c> and <c>include</c> rules): the first rule whose clauses
/// (<c>if</c>, <c>changes</c>, <c>exists</c>) all match decides; a rule without clauses always matches; no match excludes.
/// </summary>
internal sealed class RulesEvaluator(RuleConditions conditions)
{
    private static readonly HashSet<string> IncludeRuleKeys = ["if", "changes", "exists", "when"];
    private static readonly HashSet<string> WorkflowRuleKeys = ["if", "changes", "exists", "when", "variables", "auto_cancel"];

    /// <summary>Where a rules list is written (decides which keywords are allowed).</summary>
    public enum Context
    {
        /// <summary>A job's <c>rules:</c>.</summary>
        Job,
        /// <summary><c>workflow:rules</c>.</summary>
        Workflow,
        /// <summary><c>include:rules</c>.</summary>
        Include,
    }

    /// <summary>Evaluates <paramref name="rules"/> for <paramref name="owner"/> (used in messages).</summary>
    public RuleOutcome Evaluate(YamlNode rules, string owner, Context context, Func<string, string?> variables)
    {
        if (rules is YamlScalar { IsNull: true }) return RuleOutcome.Default;
        var items = rules switch
        {
            YamlSequence list => ScriptLines.Flatten(list, $"{owner}: rules"),
            _ => throw new SourceException(rules.Location, $"{owner}: rules must be a list of hashes, not {rules.KindName}.",
                "Write rules: [{if: '$CI_COMMIT_BRANCH', when: manual}]."),
        };
        // config/entry/rules.rb:11 and config/entry/include/rules.rb:18: `validates :config, presence: true`.
        if (items.Count == 0)
            throw new SourceException(rules.Location, $"{owner}: rules config can't be blank.",
                "Remove rules: (the job then always runs), or write a rule such as - when: never.");
        foreach (var item in items)
        {
            if (item is YamlScalar { IsNull: true }) continue;
            if (item is not YamlMapping rule)
                throw new SourceException(item.Location, $"{owner}: each rule must be a hash, not {item.KindName}.", "Write - if: ... / when: ...");
            var allowed = context switch { Context.Include => IncludeRuleKeys, Context.Workflow => WorkflowRuleKeys, _ => JobKeywords.Rule };
            foreach (var e in rule.Entries)
                if (!allowed.Contains(e.Key))
                    throw new SourceException(e.KeyLocation, $"{owner}: unknown rule keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, allowed)}.",
                        $"A rule here accepts {string.Join(", ", allowed.Order())}.");
            if (!Matches(rule, owner, variables)) continue;
            var when = rule["when"] is YamlScalar { IsNull: false } w ? w.Text : null;
            if (when is not null && !JobKeywords.JobWhen.Contains(when))
                throw new SourceException(rule["when"]!.Location, $"{owner}: rule when '{when}' is not valid{Suggestions.DidYouMean(when, JobKeywords.JobWhen)}.",
                    "Use on_success, on_failure, always, manual, delayed or never.");
            if (context == Context.Workflow && when is not (null or "always" or "never"))
                throw new SourceException(rule["when"]!.Location, $"{owner}: workflow rule when must be always or never, not '{when}'.", null);
            if (when == "never") return RuleOutcome.Excluded;
            var ruleVariables = VariablesReader.Read(rule["variables"], $"{owner}: rule", global: false);
            return new RuleOutcome(true, when, rule["allow_failure"], ruleVariables, rule["needs"],
                rule["start_in"] is YamlScalar { IsNull: false } s ? s.Text : null);
        }
        return RuleOutcome.Excluded;
    }

    private bool Matches(YamlMapping rule, string owner, Func<string, string?> variables)
    {
        if (rule["if"] is { } condition)
        {
            if (condition is not YamlScalar { IsNull: false } text)
                throw new SourceException(condition.Location, $"{owner}: rules:if must be an expression string, not {condition.KindName}.",
                    "Write if: '$CI_COMMIT_BRANCH == \"main\"'.");
            if (!conditions.EvaluateIf(text.Text, text.Location, variables)) return false;
        }
        if (rule["exists"] is { } exists)
        {
            var patterns = Paths(exists, owner, "exists", out _);
            if (!patterns.Any(p => conditions.Exists(conditions.Expand(p, variables)))) return false;
        }
        if (rule["changes"] is { } changes)
        {
            var patterns = Paths(changes, owner, "changes", out var compareTo);
            CompareTo? baseRef = compareTo is null ? null : new CompareTo(conditions.Expand(compareTo.Text, variables), compareTo.Location);
            if (!patterns.Any(p => conditions.Changed(conditions.Expand(p, variables), baseRef))) return false;
        }
        return true;
    }

    private static List<string> Paths(YamlNode node, string owner, string key, out YamlScalar? compareTo)
    {
        compareTo = null;
        var list = node;
        if (node is YamlMapping map)
        {
            foreach (var e in map.Entries)
                if (e.Key is not ("paths" or "compare_to" or "project" or "ref"))
                    throw new SourceException(e.KeyLocation, $"{owner}: unknown rules:{key} keyword '{e.Key}'.", "Use paths (and compare_to for changes, project/ref for exists).");
            compareTo = map["compare_to"] is YamlScalar { IsNull: false } c ? c : null;
            list = map["paths"] ?? new YamlSequence([], map.Location);
        }
        return list switch
        {
            YamlScalar { IsNull: true } => [],
            YamlScalar s => [s.Text],
            YamlSequence seq => ScriptLines.Flatten(seq, $"{owner}: rules:{key}").Select(i => i is YamlScalar s ? s.Text
                : throw new SourceException(i.Location, $"{owner}: rules:{key} entries must be paths, not {i.KindName}.", null)).Where(p => p.Length > 0).ToList(),
            _ => throw new SourceException(list.Location, $"{owner}: rules:{key} must be a list of paths.", null),
        };
    }
}
