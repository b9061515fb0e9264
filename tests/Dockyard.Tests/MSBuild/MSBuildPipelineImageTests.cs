using Dockyard.Tests.Infrastructure;
using Xunit;

namespace Dockyard.Tests.MSBuild;

/// <summary>
/// The packed package and the real SDK on a git checkout whose <c>.gitlab-ci.yml</c> has a Docker-in-Docker job that
/// builds the project's Dockerfile: <c>dotnet publish -p:PublishImage=true</c> pushes to the names that job pushes
/// (its <c>-t</c> tags after variable expansion, <c>$CI_COMMIT_SHORT_SHA</c> computed from the checkout), with its
/// <c>--target</c> and <c>--build-arg</c>, and logs the job it took them from; a job building another Dockerfile is not taken.
/// </summary>
public sealed class MSBuildPipelineImageTests
{
    [Fact]
    public async Task Publish_with_a_Dockerfile_pushes_to_the_names_of_the_pipeline_job_that_builds_it_with_its_target_and_build_arguments()
    {
        await using var registry = await RegistryServer.StartAsync();
        await TestImages.PushWithSkopeoAsync(TestImages.Create(), registry, "base/runtime:1");
        using var project = await SdkTestProject.CreateAsync("msbuild-pipeline-image");
        project.WriteFile("Dockerfile", $"""
            FROM {registry.Host}/base/runtime:1 AS final
            WORKDIR /app
            COPY Program.cs /app/
            ARG X=unset
            LABEL x=$X
            FROM final AS debug
            LABEL debug=true
            """);
        Directory.CreateDirectory(Path.Combine(project.Directory, "other"));
        project.WriteFile("other/Dockerfile", $"FROM {registry.Host}/base/runtime:1\n");
        project.WriteFile(".gitlab-ci.yml", $"""
            stages: [build]
            other-image:
              stage: build
              image: docker:27
              services: [docker:27-dind]
              script:
                - docker build -t {registry.Host}/msbuild/other:1 other
                - docker push {registry.Host}/msbuild/other:1
            app-image:
              stage: build
              image: docker:27
              services: [docker:27-dind]
              variables:
                IMAGE: {registry.Host}/msbuild/pipeline
              script:
                - docker build -t $IMAGE:$CI_COMMIT_SHORT_SHA -t $IMAGE:latest --target final --build-arg X=1 -f Dockerfile .
                - docker push --all-tags $IMAGE
            """);
        foreach (var git in new string[][] { ["init", "-q"], ["add", "-A"], ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-qm", "init"] })
            (await ProcessRunner.RunAsync("git", git, environment: project.Environment, workingDirectory: project.Directory)).EnsureSuccess("git " + git[0]);
        var sha = (await ProcessRunner.RunAsync("git", ["rev-parse", "--short=8", "HEAD"], environment: project.Environment, workingDirectory: project.Directory))
            .EnsureSuccess("git rev-parse").StandardOutput.Trim();

        var publish = await project.DotnetAsync("publish", "--no-restore", "-c", "Release", "-p:PublishImage=true");

        var output = publish.StandardOutput + publish.StandardError;
        Assert.True(publish.ExitCode == 0, output);
        Assert.Contains("tags, target and build arguments from pipeline job app-image (.gitlab-ci.yml:16)", output, StringComparison.Ordinal);
        Assert.Equal(new[] { "latest", sha }.Order(StringComparer.Ordinal), (await Skopeo.ListTagsAsync(registry, "msbuild/pipeline")).Order(StringComparer.Ordinal));
        var inspect = await Skopeo.InspectAsync(registry, $"msbuild/pipeline:{sha}");
        Assert.Equal(inspect.GetProperty("Digest").GetString(), (await Skopeo.InspectAsync(registry, "msbuild/pipeline:latest")).GetProperty("Digest").GetString());
        var labels = inspect.GetProperty("Labels");
        Assert.Equal("1", labels.GetProperty("x").GetString());
        Assert.False(labels.TryGetProperty("debug", out _), "the job's --target final was not built: " + labels);
        Assert.Contains($"{registry.Host}/msbuild/pipeline:{sha}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("msbuild/other", output, StringComparison.Ordinal);
    }
}
