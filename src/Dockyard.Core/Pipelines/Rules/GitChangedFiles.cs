using Dockyard.Diagnostics;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Pipelines.Rules;

/// <summary>
/// The files <c>changes</c> compares with, computed locally with git as GitLab computes them for the pipeline
/// (app/models/ci/pipeline.rb <c>modified_paths</c>, <c>modified_paths_since</c>):
/// <list type="bullet">
/// <item>a merge request pipeline: the merge request diff, from <c>CI_MERGE_REQUEST_DIFF_BASE_SHA</c>;</item>
/// <item>a branch push that updates the branch (<c>CI_COMMIT_BEFORE_SHA</c> not zeros): the pushed range from the before SHA;</item>
/// <item>anything else (a push that creates the branch, a tag, schedule, web, API or trigger pipeline): no list, and
/// <c>changes</c> is true (lib/gitlab/ci/build/rules/rule/clause/changes.rb <c>return true unless modified_paths</c>);</item>
/// <item><c>compare_to: REF</c>, whatever the source: the diff from the merge base of REF and HEAD.</item>
/// </list>
/// The diff ends at the work tree (<c>git diff --name-only --no-renames BASE</c>): uncommitted changes count as pushed, a rename under both paths.
/// </summary>
/// <param name="projectDirectory">The work tree.</param>
/// <param name="pipelineBase">The commit the pipeline's changes start from (see <see cref="PipelineBase"/>), or null when there is no list.</param>
/// <param name="gitExecutable">git: a path, or a name on PATH.</param>
/// <param name="timeout">How long one git call may take before it is killed (default 60 s).</param>
internal sealed class GitChangedFiles(string projectDirectory, string? pipelineBase, string gitExecutable = "git", TimeSpan? timeout = null)
{
    private readonly GitCommand _git = new(gitExecutable, projectDirectory, timeout);
    private readonly Dictionary<string, IReadOnlyList<string>?> _byBase = new(StringComparer.Ordinal);

    /// <summary>
    /// The commit a pipeline's changes start from, read from its predefined variables as GitLab reads the pipeline:
    /// the merge request diff base, else the before SHA of a branch update; null when there is no list of changed paths.
    /// </summary>
    public static string? PipelineBase(IReadOnlyDictionary<string, string> predefined)
    {
        string? Get(string name) => predefined.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        // pipeline.rb modified_paths: `if merge_request? merge_request.modified_paths elsif branch_updated? push_details.modified_paths`.
        if (Get("CI_PIPELINE_SOURCE") == "merge_request_event") return Get("CI_MERGE_REQUEST_DIFF_BASE_SHA");
        // lib/gitlab/git/push.rb branch_updated?: `branch_push? && !branch_added? && !branch_removed?` (blank_ref? = zeros).
        var before = Get("CI_COMMIT_BEFORE_SHA");
        return Get("CI_COMMIT_BRANCH") is not null && before is not null && before.Trim('0').Length > 0 ? before : null;
    }

    /// <summary>
    /// The changed files (relative, '/'-separated) of the pipeline, or since the merge base of <paramref name="compareTo"/>
    /// and HEAD; null when the pipeline has no list of changed paths (every <c>changes</c> clause is then true).
    /// </summary>
    /// <exception cref="SourceException"><paramref name="compareTo"/> names no commit (changes.rb: "is not a valid ref").</exception>
    public IReadOnlyList<string>? Against(CompareTo? compareTo)
    {
        var key = compareTo?.Ref ?? "";
        if (_byBase.TryGetValue(key, out var cached)) return cached;
        IReadOnlyList<string>? files;
        if (compareTo is { } c)
        {
            // changes.rb find_compare_to_sha: `raise ParseError, 'rules:changes:compare_to is not a valid ref' unless commit`.
            var sha = _git.CommitSha(c.Ref) ?? (c.Ref.StartsWith("refs/", StringComparison.Ordinal) ? null : _git.CommitSha("origin/" + c.Ref))
                ?? throw new SourceException(c.Location, $"rules:changes:compare_to '{c.Ref}' is not a valid ref.",
                    "Name a branch, tag or SHA of this repository (git fetch it first).");
            // pipeline.rb modified_paths_since: diff_stats(merge_base(compare_to_sha, sha), sha).
            files = Diff(_git.MergeBaseWithHead(sha) ?? sha) ?? [];
        }
        else
        {
            files = pipelineBase is null ? null : Diff(pipelineBase);
        }
        _byBase[key] = files;
        return files;
    }

    // --no-renames: a renamed file counts under its old and its new path, as merge_request_diff.rb modified_paths
    // (`pluck(:new_path, :old_path).flatten.uniq`).
    private string[]? Diff(string baseSha) =>
        _git.Run("-c", "core.quotepath=off", "diff", "--name-only", "--no-renames", baseSha, "--")?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A <c>rules:changes:compare_to</c> ref (variables expanded) and where it is written.</summary>
/// <param name="Ref">The branch, tag or SHA.</param>
/// <param name="Location">The <c>compare_to</c> value's position.</param>
internal readonly record struct CompareTo(string Ref, SourceLocation Location);
