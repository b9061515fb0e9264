using Dockyard.Tests.Infrastructure;
using Xunit;

namespace Dockyard.Tests.MSBuild;

/// <summary>
/// <c>dotnet build -t:CiJob</c> of GitLab's Docker-in-Docker job, with the packed Dockyard.MSBuild and the real SDK and
/// no Docker daemon: the job's docker lines are carried out by the package's own dockyard CLI and push to the real
/// htpasswd registry; the password (from the CiVariablesFile) shows in no output.
/// </summary>
public sealed class MSBuildCiJobTests
{
    [Fact]
    public async Task A_docker_in_docker_job_runs_as_a_target_and_pushes_with_no_daemon()
    {
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuth.Basic });
        using (var client = registry.CreateClient())
            await TestImages.Create("base for CiJob").PushAsync(client, registry.Reference("base/busybox:1"));
        using var project = await SdkTestProject.CreateAsync("msbuild-cijob");
        project.Environment["DOCKER_HOST"] = "unix://" + Path.Combine(project.Directory, "no-daemon.sock");
        project.WriteFile("Dockerfile", "ARG BASE\nFROM ${BASE}\nCOPY Program.cs /src/Program.cs\n");
        project.WriteFile(".gitlab-ci.yml", """
            image-build:
              image: docker:24.0.5-cli
              services: [docker:24.0.5-dind]
              variables:
                DOCKER_HOST: tcp://docker:2375
                DOCKER_TLS_CERTDIR: ""
              script:
                - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
                - docker build --build-arg BASE=$BASE_IMAGE -t $CI_REGISTRY/msbuild/job:1 .
                - docker push $CI_REGISTRY/msbuild/job:1
            """);
        var variables = project.WriteFile("vars.yml", $"""
            CI_REGISTRY: "{registry.Host}"
            CI_REGISTRY_USER: "{registry.Username}"
            CI_REGISTRY_PASSWORD:
              value: "{registry.Password}"
              masked: true
            BASE_IMAGE: "{registry.Host}/base/busybox:1"
            """);

        var run = await project.DotnetAsync("build", "--no-restore", "-t:CiJob", "-p:CiJob=image-build", "-p:CiExecutor=shell", $"-p:CiVariablesFile={variables}");
        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        Assert.Contains("Login Succeeded", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Password!, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        Assert.Equal(["1"], await Skopeo.ListTagsAsync(registry, "msbuild/job"));
    }
}
