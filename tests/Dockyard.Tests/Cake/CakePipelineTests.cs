using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Cake;

/// <summary>The packed addin in the real <c>dotnet cake</c>: a pipeline's jobs as Cake tasks, and a broken pipeline's error.</summary>
public sealed class CakePipelineTests
{
    private const string Pipeline = """
        stages: [build, test, deploy]
        compile:
          stage: build
          script:
            - echo compile >> order.txt
        unit:
          stage: test
          script:
            - test -f order.txt
            - echo unit >> order.txt
        manual-docs:
          stage: test
          when: manual
          script:
            - echo manual >> order.txt
        release:
          stage: deploy
          script:
            - echo release >> order.txt
        """;

    [Fact]
    public async Task Registered_jobs_run_in_pipeline_order_and_the_manual_job_does_not()
    {
        using var dir = new TempDirectory("cake-jobs");
        dir.WriteFile(".gitlab-ci.yml", Pipeline);
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            var pipeline = LoadGitLabPipeline();
            Information("stages: " + string.Join(",", pipeline.Stages));
            RegisterGitLabJobs(pipeline, new GitLabJobSettings().WithExecutor("shell").WithInPlace());
            RunTarget(Argument("target", "release"));
            """;

        var result = await CakeScriptRunner.RunAsync(dir, script, "--target=release");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal(["compile", "unit", "release"], File.ReadAllLines(dir.Combine("order.txt")));
        Assert.Contains("stages: .pre,build,test,deploy,.post", result.StandardOutput);
    }

    // The addin carries the dockyard CLI (cli/ in its package): a registered Docker-in-Docker job's docker lines run
    // natively through the job's shims, with no daemon.
    [Fact]
    public async Task A_registered_docker_in_docker_job_pushes_with_no_daemon()
    {
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuth.Basic });
        using (var client = registry.CreateClient())
            await TestImages.Create("base for a Cake job").PushAsync(client, registry.Reference("base/busybox:1"));
        using var dir = new TempDirectory("cake-dind");
        dir.WriteFile("Dockerfile", "ARG BASE\nFROM ${BASE}\nCOPY app.txt /app/app.txt\n");
        dir.WriteFile("app.txt", "from a Cake task\n");
        dir.WriteFile(".gitlab-ci.yml", """
            image-build:
              image: docker:24.0.5-cli
              services: [docker:24.0.5-dind]
              variables:
                DOCKER_HOST: tcp://docker:2375
              script:
                - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
                - docker build --build-arg BASE=$CI_REGISTRY/base/busybox:1 -t $CI_REGISTRY/cake/job:1 .
                - docker push $CI_REGISTRY/cake/job:1
            """);
        var variables = dir.WriteFile("vars.yml", $"CI_REGISTRY: \"{registry.Host}\"\nCI_REGISTRY_USER: \"{registry.Username}\"\nCI_REGISTRY_PASSWORD:\n  value: \"{registry.Password}\"\n  masked: true\n");
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            RegisterGitLabJobs(LoadGitLabPipeline(), new GitLabJobSettings().WithExecutor("shell").WithInPlace().WithVariablesFile("{{variables}}"));
            RunTarget("image-build");
            """;

        var result = await CakeScriptRunner.RunAsync(dir, script, new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + dir.Combine("no-daemon.sock") });

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.DoesNotContain(registry.Password!, result.StandardOutput + result.StandardError);
        Assert.Equal(["1"], await Skopeo.ListTagsAsync(registry, "cake/job"));
    }

    [Fact]
    public async Task A_pipeline_with_includes_from_a_gitlab_instance_loads_and_logs_where_they_came_from()
    {
        await using var gitLab = await GitLabApiStandIn.StartAsync("glpat-cake-standin");
        using var dir = new TempDirectory("cake-remote");
        dir.WriteFile(".gitlab-ci.yml", "include:\n  - project: group/ci-templates\n    ref: v1\n    file: build.yml\n");
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            var pipeline = LoadGitLabPipeline(new GitLabPipelineSettings().WithGitLabUrl("{{gitLab.Url}}"));
            Information("jobs: " + string.Join(",", pipeline.Jobs.Select(j => j.Name)));
            """;

        var result = await CakeScriptRunner.RunAsync(dir, script, new Dictionary<string, string> { ["DOCKYARD_GITLAB_TOKEN"] = "glpat-cake-standin" });

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("jobs: compile", result.StandardOutput);
        Assert.Contains($"include project:group/ci-templates@v1:build.yml from {gitLab.Url}", result.StandardOutput + result.StandardError);
        Assert.DoesNotContain("glpat-cake-standin", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task A_broken_pipeline_fails_the_run_with_its_file_line_and_column_with_the_addin_loaded_by_path()
    {
        using var dir = new TempDirectory("cake-broken");
        dir.WriteFile(".gitlab-ci.yml", "stages: [build]\ncompile:\n  stage: build\n  script: [echo hi\n");
        var script = $$"""
            {{await CakeScriptRunner.ReferenceDirectiveAsync(dir)}}
            Task("Default").Does(() => LoadGitLabPipeline());
            RunTarget("Default");
            """;

        AssertFailsAt(await CakeScriptRunner.RunAsync(dir, script), @"error DY\d{4}: .*\.gitlab-ci\.yml:\d+:\d+");
    }

    [Fact]
    public async Task A_broken_dockerfile_fails_the_run_with_its_file_line_and_column()
    {
        using var dir = new TempDirectory("cake-broken-dockerfile");
        dir.WriteFile("app/Dockerfile", "FROM scratch\nCOPPY hello.txt /hello.txt\n");
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            Task("Default").Does(() => DockyardBuild(new DockyardBuildSettings().WithTag("cake/broken:1"), "app"));
            RunTarget("Default");
            """;

        var output = AssertFailsAt(await CakeScriptRunner.RunAsync(dir, script), @"error DY2\d{3}: .*Dockerfile:2:1");
        Assert.Contains("COPPY", output);
    }

    /// <summary>The run failed with a DY error matching <paramref name="pattern"/> (its location) and no stack trace; returns the output.</summary>
    private static string AssertFailsAt(ProcessResult result, string pattern)
    {
        var output = result.StandardOutput + result.StandardError;
        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches(pattern, output);
        Assert.DoesNotContain("   at Dockyard.", output);
        return output;
    }
}
