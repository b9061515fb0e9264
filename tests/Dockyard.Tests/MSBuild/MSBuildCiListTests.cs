using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.MSBuild;

/// <summary>The packed Dockyard.MSBuild's <c>-t:CiList</c> with <c>CiGitLabUrl</c> against the GitLab API stand-in.</summary>
public sealed class MSBuildCiListTests
{
    [Fact]
    public async Task CiList_with_CiGitLabUrl_fetches_project_includes_and_logs_where_they_came_from()
    {
        const string token = "glpat-msbuild-standin";
        await using var gitLab = await GitLabApiStandIn.StartAsync(token);
        using var project = await SdkTestProject.CreateAsync("msbuild-remote");
        project.WriteFile(".gitlab-ci.yml", "include:\n  - project: group/ci-templates\n    ref: v1\n    file: build.yml\n");
        project.Environment["DOCKYARD_GITLAB_TOKEN"] = token;

        var build = await project.DotnetAsync("build", "--no-restore", "-t:CiList", $"-p:CiGitLabUrl={gitLab.Url}", "-v:normal");
        var output = build.StandardOutput + build.StandardError;

        Assert.True(build.ExitCode == 0, output);
        Assert.Matches(@"compile\s+build\s+on_success", output);
        Assert.Contains($"include project:group/ci-templates@v1:build.yml from {gitLab.Url}", output);
        Assert.DoesNotContain(token, output);
        Assert.Contains(gitLab.Requests, r => r.Target == "/api/v4/projects/group%2Fci-templates/repository/files/common%2Fbase.yml/raw?ref=v1" && r.PrivateToken == token);
    }
}
