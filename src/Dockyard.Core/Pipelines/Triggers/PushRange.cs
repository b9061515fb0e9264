using Dockyard.Diagnostics;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Pipelines.Triggers;

/// <summary>
/// What a trigger means for the checked-out commit, as GitLab records it on the pipeline: the <c>before_sha</c>
/// (<c>CI_COMMIT_BEFORE_SHA</c>) and, for a merge request pipeline, the target branch and the merge request diff's base
/// (<c>CI_MERGE_REQUEST_DIFF_BASE_SHA</c>, the merge base of the target and HEAD).
/// </summary>
/// <param name="BeforeSha">The base commit of an update push; forty zeros for a push that creates the ref and for every other source.</param>
/// <param name="MergeRequestTargetBranch">The target branch of a merge request pipeline, else null.</param>
/// <param name="MergeRequestDiffBaseSha">The merge base of the target branch and HEAD, or null (no merge request, or the target is not in the repository).</param>
internal sealed record PushRange(string BeforeSha, string? MergeRequestTargetBranch, string? MergeRequestDiffBaseSha)
{
    /// <summary>Resolves <paramref name="trigger"/> against the work tree (<paramref name="head"/> null: not a git work tree with a commit).</summary>
    /// <exception cref="DockyardException">An explicit update base names no commit of the repository.</exception>
    public static PushRange Resolve(PipelineTrigger trigger, GitCommitInfo? head, GitCommand git)
    {
        var zeros = PredefinedVariables.ZeroSha;
        if (trigger.Source == "merge_request_event")
        {
            var target = trigger.MergeRequestTargetBranch ?? head?.DefaultBranch ?? "main";
            var targetSha = head is null ? null : FirstCommit(git, RemoteFirst(target));
            // Ci::Pipeline#before_sha: `super || Gitlab::Git::BLANK_SHA`; merge request pipelines are created without one.
            return new PushRange(zeros, target, targetSha is null ? null : git.MergeBaseWithHead(targetSha) ?? targetSha);
        }

        // Schedules, web, API and trigger pipelines are created without a before SHA (zeros, as for a new branch).
        if (trigger.Source != "push" || trigger.Push == PushKind.New) return new PushRange(zeros, null, null);
        if (trigger.PushBase is { } explicitBase)
        {
            var sha = git.CommitSha(explicitBase) ?? throw new DockyardException(
                $"push update={explicitBase}: '{explicitBase}' names no commit in this repository. Name a branch, tag or SHA that exists (git fetch it first), or use the push kind new.")
            { Setting = Setting.PushKind };
            return new PushRange(sha, null, null);
        }

        // Outside git nothing was pushed; a tag push creates the tag (Gitlab::Git::Push#branch_updated? is false for tags).
        if (head is null || head.Tag is not null) return new PushRange(zeros, null, null);
        return new PushRange(FirstCommit(git, RemoteFirst(head.DefaultBranch)) ?? zeros, null, null);
    }

    private static string[] RemoteFirst(string branch) => ["origin/" + branch, branch];

    private static string? FirstCommit(GitCommand git, string[] candidates) =>
        candidates.Select(git.CommitSha).FirstOrDefault(sha => sha is not null);
}
