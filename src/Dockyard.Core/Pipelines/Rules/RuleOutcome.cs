using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Rules;

/// <summary>The result of evaluating <c>rules:</c> (or <c>only/except</c>) for one job.</summary>
/// <param name="Included">False when no rule matched or the matching rule says <c>when: never</c>.</param>
/// <param name="When">The matching rule's <c>when</c>, or null to keep the job's.</param>
/// <param name="AllowFailure">The matching rule's <c>allow_failure</c>, or null.</param>
/// <param name="Variables">The matching rule's <c>variables</c> (override job variables).</param>
/// <param name="Needs">The matching rule's <c>needs</c> (replace the job's), or null.</param>
/// <param name="StartIn">The matching rule's <c>start_in</c>, or null.</param>
internal sealed record RuleOutcome(bool Included, string? When, YamlNode? AllowFailure,
    IReadOnlyDictionary<string, PipelineVariable> Variables, YamlNode? Needs, string? StartIn)
{
    /// <summary>The outcome when nothing restricts the job.</summary>
    public static readonly RuleOutcome Default = new(true, null, null, new Dictionary<string, PipelineVariable>(), null, null);

    /// <summary>The outcome of a job that is not added to the pipeline.</summary>
    public static readonly RuleOutcome Excluded = new(false, "never", null, new Dictionary<string, PipelineVariable>(), null, null);
}
