using Dockyard.Diagnostics;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Triggers;
using Dockyard.Pipelines.Variables;
using Dockyard.Tests.Pipelines.Variables;

namespace Dockyard.Tests.Pipelines.Triggers;

/// <summary>
/// The kind of push and the pipeline source, against real git repositories: CI_COMMIT_BEFORE_SHA, CI_MERGE_REQUEST_*, and
/// rules:changes / only:changes evaluated as GitLab evaluates them for that kind of pipeline.
/// </summary>
public sealed class PipelineTriggerTests : IDisposable
{
    private const string Pipeline = """
        docs:
          rules:
            - changes: ["docs/**/*"]
          script: [x]
        src:
          rules:
            - changes: [src/*.cs]
          script: [x]
        old-docs:
          only:
            changes: ["docs/**/*"]
          script: [x]
        """;

    private readonly TempGitRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private string CommitFiles(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(_repo.Directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        _repo.Git("add", "-A");
        _repo.Git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "--no-gpg-sign", "-m", message);
        return _repo.Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>main at A (pipeline, docs, src) as origin/main; feature at B, which changes src/a.cs.</summary>
    private (string A, string B) FeatureBranch(string pipeline = Pipeline)
    {
        _repo.Init("main");
        var a = CommitFiles("init", (".gitlab-ci.yml", pipeline), ("docs/readme.md", "v1"), ("src/a.cs", "class A {}"));
        _repo.Git("update-ref", "refs/remotes/origin/main", a);
        _repo.Git("checkout", "-q", "-b", "feature");
        var b = CommitFiles("change src", ("src/a.cs", "class A { int x; }"));
        return (a, b);
    }

    private Dockyard.Pipelines.Pipeline Load(PipelineTrigger trigger) => PipelineLoader.Load(new PipelineOptions
    {
        ProjectDirectory = _repo.Directory,
        Environment = new Dictionary<string, string>(),
        Trigger = trigger,
    });

    private IReadOnlyDictionary<string, string> Predefined(PipelineTrigger trigger) =>
        PredefinedVariables.Compute(new PredefinedVariablesContext(_repo.Directory) { Environment = new Dictionary<string, string>(), Trigger = trigger });

    // The trigger's warning names the pipeline file with no line (the deprecated only: has its own, with a line).
    private static PipelineWarning[] TriggerWarnings(Dockyard.Pipelines.Pipeline pipeline) =>
        pipeline.Warnings.Where(w => w.Location.Line == 0).ToArray();

    private static string[] Included(Dockyard.Pipelines.Pipeline pipeline) =>
        pipeline.Jobs.Where(j => j.When != "never").Select(j => j.Name).Order(StringComparer.Ordinal).ToArray();

    // lib/gitlab/git/push.rb:22 branch_updated?: `branch_push? && !branch_added? && !branch_removed?`, so app/models/ci/pipeline.rb
    // modified_paths is push_details.modified_paths: lib/gitlab/git/push.rb modified_paths = diff_stats(oldrev, newrev).paths.
    [Fact]
    public void An_update_push_by_default_compares_with_origin_default_branch_and_sets_it_as_before_sha()
    {
        var (a, _) = FeatureBranch();
        Assert.Equal(a, Predefined(PipelineTrigger.Default)["CI_COMMIT_BEFORE_SHA"]);
        var pipeline = Load(PipelineTrigger.Default);
        Assert.Equal(["src"], Included(pipeline));
        Assert.Empty(TriggerWarnings(pipeline));
    }

    // lib/gitlab/ci/build/rules/rule/clause/changes.rb:15 `return true unless modified_paths` and
    // lib/gitlab/ci/build/policy/changes.rb:11 `return true if pipeline.modified_paths.nil?`: a push that creates the branch
    // (before SHA zeros, Gitlab::Git.blank_ref?) has no list of changed paths.
    [Fact]
    public void A_new_push_has_zero_before_sha_and_every_changes_true_for_rules_and_only()
    {
        FeatureBranch();
        var trigger = PipelineTrigger.Parse("new", null, null);
        Assert.Equal(PredefinedVariables.ZeroSha, Predefined(trigger)["CI_COMMIT_BEFORE_SHA"]);
        Assert.Equal(["docs", "old-docs", "src"], Included(Load(trigger)));
    }

    // push.rb modified_paths: the diff from the before SHA the user names.
    [Fact]
    public void An_update_push_against_a_named_base_uses_that_commit()
    {
        var (a, b) = FeatureBranch();
        _repo.Git("tag", "v1", a);
        var head = PipelineTrigger.Parse("update=HEAD", "push", null);
        Assert.Equal(b, Predefined(head)["CI_COMMIT_BEFORE_SHA"]);
        Assert.Empty(Included(Load(head)));
        var tag = PipelineTrigger.Parse("update=v1", null, null);
        Assert.Equal(a, Predefined(tag)["CI_COMMIT_BEFORE_SHA"]);
        Assert.Equal(["src"], Included(Load(tag)));
    }

    [Fact]
    public void An_update_base_that_names_no_commit_is_an_error_naming_the_setting()
    {
        FeatureBranch();
        var error = Assert.Throws<DockyardException>(() => Load(PipelineTrigger.Parse("update=no-such-branch", null, null)));
        Assert.Equal(Setting.PushKind, error.Setting);
        Assert.Contains("'no-such-branch' names no commit", error.Message);
    }

    // Nothing to compare with: evaluated as changes.rb:15 evaluates a new branch (true), with one warning.
    [Fact]
    public void An_update_push_with_nothing_to_compare_with_is_a_new_branch_with_one_warning()
    {
        _repo.Init("feature");
        CommitFiles("init", (".gitlab-ci.yml", Pipeline), ("docs/readme.md", "v1"));
        Assert.Equal(PredefinedVariables.ZeroSha, Predefined(PipelineTrigger.Default)["CI_COMMIT_BEFORE_SHA"]);
        var pipeline = Load(PipelineTrigger.Default);
        Assert.Equal(["docs", "old-docs", "src"], Included(pipeline));
        var warning = Assert.Single(TriggerWarnings(pipeline));
        Assert.Contains("push update: neither origin/main nor main", warning.Message);
        Assert.Empty(TriggerWarnings(Load(PipelineTrigger.Parse("new", null, null)))); // asked for: no warning
    }

    // pipeline.rb modified_paths: `if merge_request? merge_request.modified_paths` — the merge request diff, which starts at
    // the merge base of the target and the source (merge_request_diff base_commit_sha = CI_MERGE_REQUEST_DIFF_BASE_SHA), so
    // what the target gained since the fork is not a change. Variables: variables/builder/pipeline.rb
    // predefined_merge_request_variables and merge_request.rb predefined_variables.
    [Fact]
    public void A_merge_request_pipeline_sets_the_merge_request_variables_and_compares_with_the_target_from_the_merge_base()
    {
        var (a, b) = FeatureBranch();
        _repo.Git("checkout", "-q", "main");
        var c = CommitFiles("docs on main", ("docs/readme.md", "v2"));
        _repo.Git("update-ref", "refs/remotes/origin/main", c);
        _repo.Git("checkout", "-q", "feature");

        var trigger = PipelineTrigger.Parse(null, "merge_request_event", null);
        var variables = Predefined(trigger);
        Assert.Equal("merge_request_event", variables["CI_PIPELINE_SOURCE"]);
        Assert.Equal(a, variables["CI_MERGE_REQUEST_DIFF_BASE_SHA"]);
        Assert.Equal("main", variables["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"]);
        Assert.Equal("true", variables["CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED"]);
        Assert.Equal("feature", variables["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"]);
        Assert.Equal("feature", variables["CI_COMMIT_REF_NAME"]);
        Assert.Equal("1", variables["CI_MERGE_REQUEST_IID"]);
        Assert.Equal("refs/merge-requests/1/head", variables["CI_MERGE_REQUEST_REF_PATH"]);
        Assert.Equal("detached", variables["CI_MERGE_REQUEST_EVENT_TYPE"]);
        Assert.Equal("change src", variables["CI_MERGE_REQUEST_TITLE"]);
        Assert.Equal(variables["CI_PROJECT_PATH"], variables["CI_MERGE_REQUEST_PROJECT_PATH"]);
        Assert.Equal(b, variables["CI_COMMIT_SHA"]);
        Assert.Equal(PredefinedVariables.ZeroSha, variables["CI_COMMIT_BEFORE_SHA"]); // Ci::Pipeline#before_sha: `super || BLANK_SHA`
        Assert.False(variables.ContainsKey("CI_COMMIT_BRANCH")); // Ci::Pipeline#branch? is false for merge request pipelines
        Assert.Equal(["src"], Included(Load(trigger)));

        var develop = PipelineTrigger.Parse(null, "merge_request_event", "develop");
        Assert.Equal("develop", Predefined(develop)["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"]);
        var pipeline = Load(develop);
        Assert.Equal(["docs", "old-docs", "src"], Included(pipeline)); // no develop: no merge request diff
        Assert.Contains("neither origin/develop nor develop", Assert.Single(TriggerWarnings(pipeline)).Message);
    }

    // merge_request_diff.rb modified_paths: `merge_request_diff_files.pluck(:new_path, :old_path).flatten.uniq`.
    [Fact]
    public void A_renamed_file_changes_its_old_and_its_new_path()
    {
        FeatureBranch();
        _repo.Git("mv", "docs/readme.md", "guide.md");
        CommitFiles("move the docs");
        Assert.Equal(["docs", "old-docs", "src"], Included(Load(PipelineTrigger.Parse(null, "merge_request_event", null))));
    }

    // Schedules, web, API and trigger pipelines are created without a before SHA (Ci::Pipeline#before_sha: BLANK_SHA) and
    // without a merge request, so pipeline.rb modified_paths is nil and changes.rb:15 / policy/changes.rb:11 give true.
    [Theory]
    [InlineData("schedule")]
    [InlineData("web")]
    [InlineData("api")]
    [InlineData("trigger")]
    public void Pipelines_that_are_not_pushes_have_zero_before_sha_and_every_changes_true(string source)
    {
        FeatureBranch();
        var trigger = PipelineTrigger.Parse(null, source, null);
        var variables = Predefined(trigger);
        Assert.Equal(source, variables["CI_PIPELINE_SOURCE"]);
        Assert.Equal(PredefinedVariables.ZeroSha, variables["CI_COMMIT_BEFORE_SHA"]);
        var pipeline = Load(trigger);
        Assert.Equal(["docs", "old-docs", "src"], Included(pipeline));
        Assert.Empty(TriggerWarnings(pipeline));
    }

    // lib/gitlab/git/push.rb branch_push?: a tag push is no branch update, whatever the before SHA: no list, changes true.
    [Fact]
    public void A_tag_pipeline_has_every_changes_true()
    {
        var (_, b) = FeatureBranch();
        _repo.Git("tag", "v2", b);
        _repo.Git("checkout", "-q", "--detach", "v2");
        var variables = Predefined(PipelineTrigger.Default);
        Assert.Equal("v2", variables["CI_COMMIT_TAG"]);
        Assert.Equal(PredefinedVariables.ZeroSha, variables["CI_COMMIT_BEFORE_SHA"]);
        var pipeline = Load(PipelineTrigger.Default);
        Assert.Equal(["docs", "old-docs", "src"], Included(pipeline));
        Assert.Empty(TriggerWarnings(pipeline));
    }

    // changes.rb:36 find_modified_paths: with compare_to, pipeline.modified_paths_since(compare_to_sha) whatever the source;
    // pipeline.rb modified_paths_since: diff_stats(merge_base(compare_to_sha, sha), sha).
    [Fact]
    public void Compare_to_diffs_from_its_merge_base_with_head_for_every_source()
    {
        var (_, _) = FeatureBranch("""
            docs:
              rules:
                - changes: {paths: ["docs/**/*"], compare_to: main}
              script: [x]
            src:
              rules:
                - changes: {paths: [src/*.cs], compare_to: $CI_DEFAULT_BRANCH}
              script: [x]
            """);
        _repo.Git("checkout", "-q", "main");
        CommitFiles("docs on main", ("docs/readme.md", "v2"));
        _repo.Git("checkout", "-q", "feature");
        foreach (var trigger in new[] { PipelineTrigger.Default, PipelineTrigger.Parse("new", null, null), PipelineTrigger.Parse(null, "schedule", null) })
            Assert.Equal(["src"], Included(Load(trigger)));
    }

    // changes.rb:51 find_compare_to_sha: `raise ParseError, 'rules:changes:compare_to is not a valid ref' unless commit`.
    [Fact]
    public void Compare_to_that_names_no_commit_is_an_error_at_its_place()
    {
        FeatureBranch("job:\n  rules:\n    - changes:\n        paths: [src/*]\n        compare_to: nope\n  script: [x]\n");
        var error = Assert.Throws<SourceException>(() => Load(PipelineTrigger.Default));
        error.At(5, 21);
        Assert.Contains("rules:changes:compare_to 'nope' is not a valid ref", error.Message);
    }

    // lib/gitlab/ci/build/policy/kubernetes.rb:14 `pipeline.has_kubernetes_active?`, which also sets CI_KUBERNETES_ACTIVE
    // (variables/builder/pipeline.rb); config/entry/policy.rb: `validates :kubernetes, allowed_values: %w[active]`.
    [Fact]
    public void Only_kubernetes_active_follows_the_option_and_rejects_other_values()
    {
        FeatureBranch("deploy:\n  only:\n    kubernetes: active\n  script: [x]\n");
        Assert.Empty(Included(Load(PipelineTrigger.Default)));
        var active = PipelineTrigger.Default with { KubernetesActive = true };
        Assert.Equal("true", Predefined(active)["CI_KUBERNETES_ACTIVE"]);
        Assert.Equal(["deploy"], Included(Load(active)));

        File.WriteAllText(Path.Combine(_repo.Directory, ".gitlab-ci.yml"), "deploy:\n  only:\n    kubernetes: inactive\n  script: [x]\n");
        var error = Assert.Throws<SourceException>(() => Load(active));
        error.At(3, 17);
        Assert.Contains("only:kubernetes must be active, not 'inactive'", error.Message);
    }

    // Gitlab::Ci::Variables::Builder#predefined_project_variables: GITLAB_FEATURES = licensed_features.join(',').
    [Fact]
    public void Gitlab_features_come_from_the_option()
    {
        FeatureBranch("sast:\n  rules:\n    - if: $GITLAB_FEATURES =~ /\\bsast\\b/\n  script: [x]\n");
        Assert.Equal("", Predefined(PipelineTrigger.Default)["GITLAB_FEATURES"]);
        Assert.Empty(Included(Load(PipelineTrigger.Default)));
        var licensed = PipelineTrigger.Default with { GitLabFeatures = "dast,sast" };
        Assert.Equal("dast,sast", Predefined(licensed)["GITLAB_FEATURES"]);
        Assert.Equal(["sast"], Included(Load(licensed)));
    }

    [Fact]
    public void An_update_base_outside_git_is_an_error()
    {
        File.WriteAllText(Path.Combine(_repo.Directory, ".gitlab-ci.yml"), Pipeline);
        var error = Assert.Throws<DockyardException>(() => Load(PipelineTrigger.Parse("update=main", null, null)));
        Assert.Equal(Setting.PushKind, error.Setting);
        var pipeline = Load(PipelineTrigger.Default); // no repository: nothing was pushed, no warning, changes true
        Assert.Equal(["docs", "old-docs", "src"], Included(pipeline));
        Assert.Empty(TriggerWarnings(pipeline));
    }

    // Inside GitLab CI the runner's variables describe the pipeline; pipeline.rb modified_paths reads them the same way:
    // merge request → the diff base; a branch (CI_COMMIT_BRANCH) with a before SHA that is not zeros → that SHA; else none.
    [Theory]
    [InlineData("merge_request_event", null, "0000000000000000000000000000000000000000", "abc", "abc")]
    [InlineData("push", "main", "1234567", null, "1234567")]
    [InlineData("push", "main", "0000000000000000000000000000000000000000", null, null)]
    [InlineData("push", null, "1234567", null, null)] // a tag
    [InlineData("schedule", "main", "0000000000000000000000000000000000000000", null, null)]
    public void The_pipeline_base_is_read_from_the_predefined_variables(string source, string? branch, string before, string? diffBase, string? expected)
    {
        var predefined = new Dictionary<string, string> { ["CI_PIPELINE_SOURCE"] = source, ["CI_COMMIT_BEFORE_SHA"] = before };
        if (branch is not null) predefined["CI_COMMIT_BRANCH"] = branch;
        if (diffBase is not null) predefined["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = diffBase;
        Assert.Equal(expected, Dockyard.Pipelines.Rules.GitChangedFiles.PipelineBase(predefined));
    }

    [Theory]
    [InlineData("updat", null, null, Setting.PushKind, "push kind 'updat' is not new, update or update=BASE")]
    [InlineData("update=", null, null, Setting.PushKind, "push kind 'update=' is not new, update or update=BASE")]
    [InlineData(null, "schedules", null, Setting.PipelineSource, "pipeline source 'schedules' is not one of push, merge_request_event, schedule, web, api, trigger (did you mean 'schedule'?)")]
    [InlineData("new", "schedule", null, Setting.PushKind, "push kind 'new' applies to push pipelines, not to a schedule pipeline")]
    [InlineData(null, null, "develop", Setting.MergeRequestTarget, "merge request target 'develop' applies to merge_request_event pipelines, not to a push pipeline")]
    public void Bad_values_are_errors_naming_the_setting(string? push, string? source, string? target, Setting setting, string message)
    {
        var error = Assert.Throws<DockyardException>(() => PipelineTrigger.Parse(push, source, target));
        Assert.Equal(setting, error.Setting);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Parse_reads_each_kind()
    {
        Assert.Equal(PipelineTrigger.Default, PipelineTrigger.Parse(null, "", " "));
        Assert.Equal(new PipelineTrigger { Push = PushKind.Update, PushBase = "origin/main" }, PipelineTrigger.Parse("update=origin/main", "push", null));
        Assert.Equal(new PipelineTrigger { Source = "merge_request_event", MergeRequestTargetBranch = "develop" },
            PipelineTrigger.Parse(null, "merge_request_event", "develop"));
    }
}
