using Dockyard.Pipelines.Triggers;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Tests.Pipelines.Variables;

public class PredefinedVariablesTests
{
    private static readonly Dictionary<string, string> NoCi = new() { ["HOME"] = "/home/x" };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static IReadOnlyDictionary<string, string> Compute(string directory, string source = "push") =>
        PredefinedVariables.Compute(new PredefinedVariablesContext(directory)
        {
            Environment = NoCi,
            Trigger = new PipelineTrigger { Source = source },
            Clock = new FixedClock(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero)),
        });

    [Fact]
    public void Computes_commit_and_project_variables_from_git()
    {
        using var repo = new TempGitRepository().Init("main");
        repo.Commit("first");
        var sha = repo.Commit("Add the thing\n\nLonger description\nsecond line", "2024-02-03T04:05:06+02:00");
        repo.Git("remote", "add", "origin", "git@gitlab.com:Group/Sub/My-Project.git");

        var variables = Compute(repo.Directory);

        Assert.Equal("true", variables["CI"]);
        Assert.Equal("true", variables["GITLAB_CI"]);
        Assert.Equal(sha, variables["CI_COMMIT_SHA"]);
        Assert.Equal(sha[..8], variables["CI_COMMIT_SHORT_SHA"]);
        Assert.Equal(sha, variables["CI_COMMIT_BEFORE_SHA"]); // an update push against main, which is HEAD (PushTriggerTests has the rest)
        Assert.Equal("Add the thing", variables["CI_COMMIT_TITLE"]);
        Assert.Equal("Add the thing\n\nLonger description\nsecond line\n", variables["CI_COMMIT_MESSAGE"]);
        Assert.Equal("\nLonger description\nsecond line\n", variables["CI_COMMIT_DESCRIPTION"]);
        Assert.Equal("2024-02-03T02:05:06Z", variables["CI_COMMIT_TIMESTAMP"]);
        Assert.Equal("Jane Doe <jane@example.com>", variables["CI_COMMIT_AUTHOR"]);
        Assert.Equal("main", variables["CI_COMMIT_REF_NAME"]);
        Assert.Equal("main", variables["CI_COMMIT_BRANCH"]);
        Assert.False(variables.ContainsKey("CI_COMMIT_TAG"));
        Assert.Equal("main", variables["CI_DEFAULT_BRANCH"]);
        Assert.Equal("Group/Sub/My-Project", variables["CI_PROJECT_PATH"]);
        Assert.Equal("My-Project", variables["CI_PROJECT_NAME"]);
        Assert.Equal("Group/Sub", variables["CI_PROJECT_NAMESPACE"]);
        Assert.Equal("Group", variables["CI_PROJECT_ROOT_NAMESPACE"]);
        Assert.Equal("group-sub-my-project", variables["CI_PROJECT_PATH_SLUG"]);
        Assert.Equal(Path.GetFullPath(repo.Directory), variables["CI_PROJECT_DIR"]);
        Assert.Equal("https://gitlab.com/Group/Sub/My-Project", variables["CI_PROJECT_URL"]);
        Assert.Equal("gitlab.com", variables["CI_SERVER_HOST"]);
        Assert.Equal("443", variables["CI_SERVER_PORT"]);
        Assert.Equal("https", variables["CI_SERVER_PROTOCOL"]);
        Assert.Equal("gitlab.com", variables["CI_SERVER_FQDN"]);
        Assert.Equal("https://gitlab.com", variables["CI_SERVER_URL"]);
        Assert.Equal("https://gitlab.com/api/v4", variables["CI_API_V4_URL"]);
        Assert.Equal("registry.gitlab.com", variables["CI_REGISTRY"]);
        Assert.Equal("registry.gitlab.com/group/sub/my-project", variables["CI_REGISTRY_IMAGE"]);
        Assert.Equal("gitlab-ci-token", variables["CI_REGISTRY_USER"]);
        Assert.Equal("registry.gitlab.com", variables["CI_TEMPLATE_REGISTRY_HOST"]);
        Assert.Equal("push", variables["CI_PIPELINE_SOURCE"]);
        Assert.Equal("1", variables["CI_PIPELINE_ID"]);
        Assert.Equal("1", variables["CI_PIPELINE_IID"]);
        Assert.Equal("2025-03-04T05:06:07Z", variables["CI_PIPELINE_CREATED_AT"]);
        Assert.Equal("true", variables["CI_COMMIT_REF_PROTECTED"]);
    }

    [Fact]
    public void Branch_name_is_slugified_and_default_branch_comes_from_origin_head()
    {
        using var repo = new TempGitRepository().Init("trunk");
        var sha = repo.Commit("init");
        repo.Git("update-ref", "refs/remotes/origin/develop", sha);
        repo.Git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/develop");
        repo.Git("checkout", "-q", "-b", "Feature/ABC_1.2");

        var variables = Compute(repo.Directory, "web");

        Assert.Equal("Feature/ABC_1.2", variables["CI_COMMIT_REF_NAME"]);
        Assert.Equal("feature-abc-1-2", variables["CI_COMMIT_REF_SLUG"]);
        Assert.Equal("Feature/ABC_1.2", variables["CI_COMMIT_BRANCH"]);
        Assert.Equal("develop", variables["CI_DEFAULT_BRANCH"]);
        Assert.Equal("false", variables["CI_COMMIT_REF_PROTECTED"]);
        Assert.Equal("web", variables["CI_PIPELINE_SOURCE"]);
    }

    [Theory]
    [InlineData("main", "main")]
    [InlineData("master", "master")]
    [InlineData("other", "main")]
    public void Default_branch_falls_back_to_main_or_master(string branch, string expected)
    {
        using var repo = new TempGitRepository().Init(branch);
        repo.Commit("init");
        Assert.Equal(expected, Compute(repo.Directory)["CI_DEFAULT_BRANCH"]);
    }

    [Fact]
    public void Detached_head_on_a_tag_is_a_tag_pipeline()
    {
        using var repo = new TempGitRepository().Init("main");
        repo.Commit("one");
        repo.Git("-c", "user.name=x", "-c", "user.email=x@x", "tag", "-a", "v1.2.0", "-m", "release");
        repo.Commit("two");
        repo.Git("checkout", "-q", "v1.2.0");

        var variables = Compute(repo.Directory);

        Assert.Equal("v1.2.0", variables["CI_COMMIT_TAG"]);
        Assert.Equal("release", variables["CI_COMMIT_TAG_MESSAGE"]);
        Assert.Equal("v1.2.0", variables["CI_COMMIT_REF_NAME"]);
        Assert.Equal("v1-2-0", variables["CI_COMMIT_REF_SLUG"]);
        Assert.False(variables.ContainsKey("CI_COMMIT_BRANCH"));
    }

    [Fact]
    public void Tag_on_a_checked_out_branch_stays_a_branch_pipeline()
    {
        using var repo = new TempGitRepository().Init("main");
        repo.Commit("one");
        repo.Git("tag", "v1");
        var variables = Compute(repo.Directory);
        Assert.Equal("main", variables["CI_COMMIT_BRANCH"]);
        Assert.False(variables.ContainsKey("CI_COMMIT_TAG"));
    }

    [Fact]
    public void Detached_head_without_tag_uses_a_branch_pointing_at_it()
    {
        using var repo = new TempGitRepository().Init("main");
        repo.Commit("one");
        repo.Git("checkout", "-q", "-b", "topic");
        var sha = repo.Commit("two");
        repo.Git("checkout", "-q", "--detach", sha);

        Assert.Equal("topic", Compute(repo.Directory)["CI_COMMIT_BRANCH"]);
    }

    [Theory]
    [InlineData("https://gitlab.example.org/a/b.git", "gitlab.example.org", "https", "443", "https://gitlab.example.org", "a/b")]
    [InlineData("https://user:secret@git.corp:8443/g/s/p", "git.corp", "https", "8443", "https://git.corp:8443", "g/s/p")]
    [InlineData("http://localhost:8080/root/app.git", "localhost", "http", "8080", "http://localhost:8080", "root/app")]
    [InlineData("ssh://git@git.corp:2222/g/p.git", "git.corp", "https", "443", "https://git.corp", "g/p")]
    [InlineData("git@gitlab.com:group/proj.git", "gitlab.com", "https", "443", "https://gitlab.com", "group/proj")]
    public void Server_variables_come_from_the_origin_url(string url, string host, string protocol, string port, string serverUrl, string path)
    {
        using var repo = new TempGitRepository().Init();
        repo.Commit("init");
        repo.Git("remote", "add", "origin", url);

        var variables = Compute(repo.Directory);

        Assert.Equal(host, variables["CI_SERVER_HOST"]);
        Assert.Equal(protocol, variables["CI_SERVER_PROTOCOL"]);
        Assert.Equal(port, variables["CI_SERVER_PORT"]);
        Assert.Equal(serverUrl, variables["CI_SERVER_URL"]);
        Assert.Equal(path, variables["CI_PROJECT_PATH"]);
        Assert.Equal($"registry.{host}", variables["CI_REGISTRY"]);
        Assert.DoesNotContain(variables.Values, value => value.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_remote_the_project_is_local_slash_directory()
    {
        using var repo = new TempGitRepository("Some Dir").Init();
        repo.Commit("init");

        var variables = Compute(repo.Directory);

        Assert.Equal("local/Some Dir", variables["CI_PROJECT_PATH"]);
        Assert.Equal("local-some-dir", variables["CI_PROJECT_PATH_SLUG"]);
        Assert.Equal(PredefinedVariables.LocalServerHost, variables["CI_SERVER_HOST"]);
        Assert.Equal("registry.gitlab.example.com/local/some dir", variables["CI_REGISTRY_IMAGE"]);
    }

    [Fact]
    public void Outside_git_placeholders_are_used()
    {
        using var directory = new TempGitRepository("plain");

        var variables = Compute(directory.Directory);

        Assert.Equal(PredefinedVariables.ZeroSha, variables["CI_COMMIT_SHA"]);
        Assert.Equal("00000000", variables["CI_COMMIT_SHORT_SHA"]);
        Assert.Equal("main", variables["CI_COMMIT_REF_NAME"]);
        Assert.Equal("main", variables["CI_COMMIT_BRANCH"]);
        Assert.Equal("local/plain", variables["CI_PROJECT_PATH"]);
        Assert.Equal("", variables["CI_COMMIT_MESSAGE"]);
    }

    [Fact]
    public void Repository_without_commits_uses_placeholders()
    {
        using var repo = new TempGitRepository().Init();
        Assert.Equal(PredefinedVariables.ZeroSha, Compute(repo.Directory)["CI_COMMIT_SHA"]);
    }

    [Fact]
    public void Inside_gitlab_ci_values_come_from_the_environment_without_secrets()
    {
        var environment = new Dictionary<string, string>
        {
            ["GITLAB_CI"] = "true",
            ["CI"] = "true",
            ["CI_COMMIT_SHA"] = "abc",
            ["CI_COMMIT_REF_NAME"] = "release",
            ["CI_JOB_TOKEN"] = "glcbt-secret",
            ["CI_REGISTRY_PASSWORD"] = "secret",
            ["CI_JOB_JWT_V2"] = "secret",
            ["GITLAB_USER_LOGIN"] = "jane",
            ["HOME"] = "/root",
        };

        var variables = PredefinedVariables.Compute(new PredefinedVariablesContext("/nonexistent") { Environment = environment });

        Assert.Equal("abc", variables["CI_COMMIT_SHA"]);
        Assert.Equal("release", variables["CI_COMMIT_REF_NAME"]);
        Assert.Equal("jane", variables["GITLAB_USER_LOGIN"]);
        Assert.False(variables.ContainsKey("HOME"));
        Assert.DoesNotContain(variables.Values, value => value.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Job_variables()
    {
        var plain = PredefinedVariables.ForJob("build: [linux, Alpine]", "build", null, null);
        Assert.Equal("build: [linux, Alpine]", plain["CI_JOB_NAME"]);
        Assert.Equal("build---linux--alpine", plain["CI_JOB_NAME_SLUG"]);
        Assert.Equal("build", plain["CI_JOB_STAGE"]);
        Assert.Equal("1", plain["CI_NODE_TOTAL"]);
        Assert.False(plain.ContainsKey("CI_NODE_INDEX"));

        var parallel = PredefinedVariables.ForJob("unit 2/3", "test", 2, 3);
        Assert.Equal("2", parallel["CI_NODE_INDEX"]);
        Assert.Equal("3", parallel["CI_NODE_TOTAL"]);
        Assert.Equal("unit-2-3", parallel["CI_JOB_NAME_SLUG"]);
    }
}
