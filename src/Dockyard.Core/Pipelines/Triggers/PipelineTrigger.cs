using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Triggers;

/// <summary>
/// How the simulated pipeline was started: its <c>CI_PIPELINE_SOURCE</c>, for a push the kind of push (which decides
/// <c>CI_COMMIT_BEFORE_SHA</c> and what <c>changes</c> compares with), for a merge request pipeline its target branch, and
/// the project facts GitLab knows but a checkout does not (an active Kubernetes integration, the licensed features).
/// </summary>
public sealed record PipelineTrigger
{
    /// <summary>The sources that can be simulated.</summary>
    public static IReadOnlyList<string> Sources { get; } = ["push", "merge_request_event", "schedule", "web", "api", "trigger"];

    /// <summary>A push that updates the current branch from <c>origin/DEFAULT_BRANCH</c>.</summary>
    public static PipelineTrigger Default { get; } = new();

    /// <summary>The <c>CI_PIPELINE_SOURCE</c> (one of <see cref="Sources"/>).</summary>
    public string Source { get; init; } = "push";

    /// <summary>For a push: the kind of push; null means <see cref="PushKind.Update"/> (for a tag: a push that creates it).</summary>
    public PushKind? Push { get; init; }

    /// <summary>For an update push: the base commit (a branch, tag or SHA); null means <c>origin/DEFAULT_BRANCH</c>, else <c>DEFAULT_BRANCH</c>.</summary>
    public string? PushBase { get; init; }

    /// <summary>For a merge request pipeline: the target branch; null means the default branch.</summary>
    public string? MergeRequestTargetBranch { get; init; }

    /// <summary>Whether the project has an active Kubernetes integration (<c>CI_KUBERNETES_ACTIVE</c>, <c>only:kubernetes: active</c>).</summary>
    public bool KubernetesActive { get; init; }

    /// <summary>The project's licensed features, comma-separated, as <c>GITLAB_FEATURES</c> (empty on GitLab Free).</summary>
    public string GitLabFeatures { get; init; } = "";

    /// <summary>
    /// Reads the trigger from a front's text: <paramref name="push"/> is <c>new</c>, <c>update</c> or <c>update=BASE</c>,
    /// <paramref name="source"/> one of <see cref="Sources"/>; null or empty means the default.
    /// </summary>
    /// <exception cref="DockyardException">A value is not valid, or does not apply to the source (naming the setting).</exception>
    public static PipelineTrigger Parse(string? push, string? source, string? mergeRequestTargetBranch)
    {
        var trigger = new PipelineTrigger();
        if (!string.IsNullOrWhiteSpace(source))
        {
            source = source.Trim();
            if (!Sources.Contains(source))
                throw new DockyardException(
                    $"pipeline source '{source}' is not one of {string.Join(", ", Sources)}{Suggestions.DidYouMean(source, Sources)}.")
                { Setting = Diagnostics.Setting.PipelineSource };
            trigger = trigger with { Source = source };
        }

        if (!string.IsNullOrWhiteSpace(push))
        {
            if (trigger.Source != "push")
                throw new DockyardException(
                    $"push kind '{push}' applies to push pipelines, not to a {trigger.Source} pipeline (it has no push: CI_COMMIT_BEFORE_SHA is zeros). Drop it, or use the source push.")
                { Setting = Diagnostics.Setting.PushKind };
            trigger = ParsePush(trigger, push.Trim());
        }

        if (!string.IsNullOrWhiteSpace(mergeRequestTargetBranch))
        {
            if (trigger.Source != "merge_request_event")
                throw new DockyardException(
                    $"merge request target '{mergeRequestTargetBranch}' applies to merge_request_event pipelines, not to a {trigger.Source} pipeline. Also choose the source merge_request_event.")
                { Setting = Diagnostics.Setting.MergeRequestTarget };
            trigger = trigger with { MergeRequestTargetBranch = mergeRequestTargetBranch.Trim() };
        }

        return trigger;
    }

    private static PipelineTrigger ParsePush(PipelineTrigger trigger, string push)
    {
        if (push == "new") return trigger with { Push = PushKind.New };
        if (push == "update") return trigger with { Push = PushKind.Update };
        if (push.StartsWith("update=", StringComparison.Ordinal) && push.Length > "update=".Length)
            return trigger with { Push = PushKind.Update, PushBase = push["update=".Length..] };
        throw new DockyardException(
            $"push kind '{push}' is not new, update or update=BASE. Write new (a push that creates the branch), update (against origin/DEFAULT_BRANCH) or update=origin/main.")
        { Setting = Diagnostics.Setting.PushKind };
    }
}
