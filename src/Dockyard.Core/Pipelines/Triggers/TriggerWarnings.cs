namespace Dockyard.Pipelines.Triggers;

/// <summary>The warning of a local run whose trigger asked for a comparison that the checkout cannot give.</summary>
internal static class TriggerWarnings
{
    /// <summary>
    /// One warning when an update push (or a merge request) had nothing to compare with and so is evaluated as a push
    /// that creates the branch; none inside GitLab CI, where the runner's variables are the truth, nor outside git.
    /// </summary>
    public static IEnumerable<PipelineWarning> For(PipelineTrigger trigger, IReadOnlyDictionary<string, string> predefined,
        IReadOnlyDictionary<string, string>? environment, string file)
    {
        if (environment is not null && environment.TryGetValue("GITLAB_CI", out var ci) && ci == "true") yield break;
        string Get(string name) => predefined.TryGetValue(name, out var v) ? v : "";
        // Outside a git work tree there is no push to speak of (CI_COMMIT_SHA is the zeros placeholder): no warning.
        if (Get("CI_COMMIT_SHA").Trim('0').Length == 0) yield break;
        var at = new Diagnostics.SourceLocation(file, 0, 0);
        var defaultBranch = Get("CI_DEFAULT_BRANCH");
        if (trigger.Source == "merge_request_event" && Get("CI_MERGE_REQUEST_DIFF_BASE_SHA").Length == 0)
        {
            var target = Get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME");
            yield return new PipelineWarning(at,
                $"merge request pipeline: neither origin/{target} nor {target} is a commit of this checkout, so there is no merge request diff and every changes: is true. Fetch the target branch, or name another merge request target.");
        }
        else if (trigger.Source == "push" && trigger.Push != PushKind.New && trigger.PushBase is null
                 && Get("CI_COMMIT_BRANCH").Length > 0 && Get("CI_COMMIT_BEFORE_SHA").Trim('0').Length == 0)
        {
            yield return new PipelineWarning(at,
                $"push update: neither origin/{defaultBranch} nor {defaultBranch} is a commit of this checkout, so this is evaluated as a push that creates the branch (CI_COMMIT_BEFORE_SHA is zeros, every changes: is true). Fetch origin, name the base with the push kind update=BASE, or choose the push kind new.");
        }
    }
}
