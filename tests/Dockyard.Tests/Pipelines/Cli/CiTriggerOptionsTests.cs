using System.Text.Json;
using Dockyard.Tests.Infrastructure;
using Dockyard.Tests.Pipelines.Variables;

namespace Dockyard.Tests.Pipelines.Cli;

/// <summary>--push, --pipeline-source, --merge-request-target, --kubernetes-active and --gitlab-features through the real CLI process.</summary>
public sealed class CiTriggerOptionsTests : IDisposable
{
    private const string Pipeline = """
        build:
          script: [x]
        docs:
          rules:
            - changes: ["docs/**/*"]
          script: [x]
        review:
          rules:
            - if: $CI_MERGE_REQUEST_TARGET_BRANCH_NAME == "release" && $CI_COMMIT_BEFORE_SHA == "0000000000000000000000000000000000000000"
          script: [x]
        deploy:
          only:
            kubernetes: active
          script: [x]
        sast:
          rules:
            - if: $GITLAB_FEATURES =~ /\bsast\b/
          script: [x]
        """;

    private readonly TempGitRepository _repo = new();

    public CiTriggerOptionsTests()
    {
        _repo.Init("main");
        File.WriteAllText(Path.Combine(_repo.Directory, ".gitlab-ci.yml"), Pipeline);
        Directory.CreateDirectory(Path.Combine(_repo.Directory, "docs"));
        File.WriteAllText(Path.Combine(_repo.Directory, "docs", "readme.md"), "v1");
        var a = _repo.Commit("init");
        _repo.Git("update-ref", "refs/remotes/origin/main", a);
        _repo.Git("branch", "release", a);
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Commit("feature work"); // a new file outside docs/
    }

    public void Dispose() => _repo.Dispose();

    private async Task<ProcessResult> Cli(params string[] arguments) =>
        await ProcessRunner.RunAsync("dotnet", [CliAssembly.Path, .. arguments, "--cwd", _repo.Directory],
            timeout: TimeSpan.FromMinutes(3), workingDirectory: _repo.Directory);

    private async Task<string[]> Included(params string[] options)
    {
        var run = (await Cli(["ci", "list", "--json", .. options])).EnsureSuccess("dockyard ci list");
        return JsonDocument.Parse(run.StandardOutput).RootElement.EnumerateArray()
            .Where(j => j.GetProperty("when").GetString() != "never").Select(j => j.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task Each_option_reaches_the_pipeline()
    {
        Assert.Equal(["build"], await Included()); // an update push against origin/main: docs/ unchanged
        Assert.Equal(["build", "docs"], await Included("--push", "new"));
        Assert.Equal(["build", "docs"], await Included("--pipeline-source", "schedule"));
        // build has the default only: [branches, tags], which a merge request pipeline does not match.
        Assert.Equal(["review"], await Included("--pipeline-source", "merge_request_event", "--merge-request-target", "release"));
        Assert.Equal(["build", "deploy", "sast"], await Included("--kubernetes-active", "--gitlab-features", "dast,sast"));
    }

    [Fact]
    public async Task Lint_prints_the_warning_when_there_is_nothing_to_compare_with()
    {
        _repo.Git("update-ref", "-d", "refs/remotes/origin/main");
        _repo.Git("branch", "-q", "-D", "main");
        var run = (await Cli("ci", "lint")).EnsureSuccess("dockyard ci lint");
        var warning = Assert.Single(run.StandardError.Split('\n'), l => l.Contains("push update", StringComparison.Ordinal));
        Assert.StartsWith(".gitlab-ci.yml: warning: push update: neither origin/main nor main is a commit of this checkout", warning);
        Assert.Equal(["build", "docs"], await Included()); // evaluated as a new branch
    }

    [Theory]
    [InlineData("--push", "later", "push kind 'later' is not new, update or update=BASE", "--push")]
    [InlineData("--pipeline-source", "nightly", "pipeline source 'nightly' is not one of push, merge_request_event, schedule, web, api, trigger", "--pipeline-source")]
    [InlineData("--push", "update=nope", "push update=nope: 'nope' names no commit in this repository", "--push")]
    public async Task Bad_values_exit_1_with_one_line_naming_the_option(string option, string value, string message, string named)
    {
        var run = await Cli("ci", "list", option, value);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error DY1000: " + message, run.StandardError);
        Assert.Contains($"(option {named})", run.StandardError);
        Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", run.StandardOutput);
    }
}
