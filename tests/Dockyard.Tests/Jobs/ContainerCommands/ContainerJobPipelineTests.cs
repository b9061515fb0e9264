using Dockyard.Tests.Hostile;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.ContainerCommands;

/// <summary>
/// GitLab's documented Docker-in-Docker, template, buildah and podman jobs, unchanged, through the real
/// <c>dockyard ci run</c> (shell executor, no Docker daemon) against a real htpasswd registry: the tags they push exist,
/// the password shows nowhere, and a line that needs a daemon fails naming itself.
/// </summary>
public sealed class ContainerJobPipelineTests : IClassFixture<ContainerJobRegistry>, IDisposable
{
    private readonly ContainerJobRegistry _fixture;
    private readonly ContainerJobProject _project;

    public ContainerJobPipelineTests(ContainerJobRegistry fixture)
    {
        _fixture = fixture;
        _project = new ContainerJobProject(fixture, "cjob");
    }

    private string Repository => _project.Repository;

    private RegistryServer Registry => _fixture.Registry;

    [Fact]
    public async Task Docker_in_docker_without_tls_builds_and_pushes_with_no_daemon()
    {
        var run = await RunAsync("""
            default:
              image: docker:24.0.5-cli
              services:
                - docker:24.0.5-dind
              before_script:
                - docker info

            variables:
              DOCKER_HOST: tcp://docker:2375
              DOCKER_TLS_CERTDIR: ""

            build:
              stage: build
              variables:
                IMAGE_TAG: $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG
              script:
                - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
                - docker build --build-arg BASE=$BASE_IMAGE -t $IMAGE_TAG .
                - docker push $IMAGE_TAG
            """, "build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Login Succeeded", run.StandardError);
        Assert.Equal(["main"], await Skopeo.ListTagsAsync(Registry, Repository));
        await AssertBuiltImageAsync("main");
    }

    [Fact]
    public async Task Docker_in_docker_with_tls_and_password_stdin_pushes_and_inspects()
    {
        var run = await RunAsync("""
            build:
              image: docker:24.0.5-cli
              stage: build
              services:
                - docker:24.0.5-dind
              variables:
                DOCKER_HOST: tcp://docker:2376
                DOCKER_TLS_CERTDIR: "/certs"
                DOCKER_TLS_VERIFY: 1
                DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
                IMAGE_TAG: $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA
              before_script:
                - echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY -u $CI_REGISTRY_USER --password-stdin
              script:
                - docker build --pull --provenance=false --iidfile image-id.txt --build-arg BASE=$BASE_IMAGE -t $IMAGE_TAG -t $CI_REGISTRY_IMAGE:second .
                - docker images
                - test "$(docker inspect --format '{{.Id}}' $IMAGE_TAG)" = "$(cat image-id.txt)"
                - docker push --all-tags $CI_REGISTRY_IMAGE
                - echo "digest=$(docker inspect --format '{{index .RepoDigests 0}}' $IMAGE_TAG)"
            """, "build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--provenance=false: accepted and ignored", run.StandardError);
        Assert.Equal(["00000000", "second"], await Skopeo.ListTagsAsync(Registry, Repository));
        var pushed = await Skopeo.InspectAsync(Registry, Repository + ":second");
        Assert.Contains($"digest={Registry.Host}/{Repository}@{pushed.GetProperty("Digest").GetString()}", run.StandardError);
    }

    [Fact]
    public async Task The_docker_template_tags_latest_on_the_default_branch_inside_shell_logic()
    {
        var run = await RunAsync("""
            docker-build:
              image: docker:cli
              stage: build
              services:
                - docker:dind
              variables:
                DOCKER_IMAGE_NAME: $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG
              before_script:
                - docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY
              script:
                - docker build --pull --build-arg BASE=$BASE_IMAGE -t "$DOCKER_IMAGE_NAME" .
                - docker push "$DOCKER_IMAGE_NAME"
                - |
                  if [[ "$CI_COMMIT_BRANCH" == "$CI_DEFAULT_BRANCH" ]]; then
                    docker tag "$DOCKER_IMAGE_NAME" "$CI_REGISTRY_IMAGE:latest"
                    docker push "$CI_REGISTRY_IMAGE:latest"
                  fi
              rules:
                - if: $CI_COMMIT_BRANCH
                  exists:
                    - Dockerfile
            """, "docker-build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["latest", "main"], await Skopeo.ListTagsAsync(Registry, Repository));
        Assert.Equal((await Skopeo.InspectAsync(Registry, Repository + ":main")).GetProperty("Digest").GetString(),
            (await Skopeo.InspectAsync(Registry, Repository + ":latest")).GetProperty("Digest").GetString());
    }

    [Fact]
    public async Task Buildah_and_podman_jobs_of_the_docs_push_their_images()
    {
        var run = await RunAsync("""
            buildah-build:
              stage: build
              image: quay.io/buildah/stable
              variables:
                STORAGE_DRIVER: vfs
                BUILDAH_FORMAT: docker
                FQ_IMAGE_NAME: "$CI_REGISTRY_IMAGE/test"
              before_script:
                - echo "$CI_REGISTRY_PASSWORD" | buildah login -u "$CI_REGISTRY_USER" --password-stdin $CI_REGISTRY
              script:
                - buildah images
                - buildah build --build-arg BASE=$BASE_IMAGE -t $FQ_IMAGE_NAME
                - buildah images
                - buildah push $FQ_IMAGE_NAME

            podman-build:
              stage: build
              image: quay.io/podman/stable
              script:
                - podman login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY
                - podman build --build-arg BASE=$BASE_IMAGE -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA" .
                - podman push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"
            """, "--pipeline");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["latest"], await Skopeo.ListTagsAsync(Registry, Repository + "/test"));
        Assert.Equal(["00000000"], await Skopeo.ListTagsAsync(Registry, Repository));
        Assert.Matches(@"\[buildah-build\] REPOSITORY\s+TAG\s+IMAGE ID", run.StandardError);
        Assert.Matches(@$"\[buildah-build\] {System.Text.RegularExpressions.Regex.Escape(Registry.Host)}/{Repository}/test\s+latest\s+[0-9a-f]{{12}}", run.StandardError);
    }

    [Fact]
    public async Task A_later_build_line_builds_FROM_an_image_an_earlier_line_built_as_with_a_daemon()
    {
        // corp/base:1 exists in no registry (it would be docker.io/corp/base): only the job's own images hold it.
        var run = await RunAsync("""
            build:
              script:
                - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
                - docker build --build-arg BASE=$BASE_IMAGE -t corp/base:1 .
                - docker build --build-arg BASE=corp/base:1 -t $CI_REGISTRY_IMAGE:layered .
                - docker push $CI_REGISTRY_IMAGE:layered
            """, "build");
        Assert.True(run.ExitCode == 0, run.ToString());
        var inspect = await Skopeo.InspectAsync(Registry, $"{Repository}:layered");
        Assert.Equal(4, inspect.GetProperty("Layers").GetArrayLength());
    }

    [Fact]
    public async Task A_docker_run_line_with_no_daemon_fails_the_job_naming_the_line()
    {
        var run = await RunAsync("""
            test:
              image: docker:24.0.5-cli
              script:
                - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
                - docker build --build-arg BASE=$BASE_IMAGE -t my-docker-image .
                - docker run my-docker-image /script/to/run/tests
                - echo never-reached
            """, "test");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("[test] $ docker run my-docker-image /script/to/run/tests", run.StandardError);
        Assert.Matches(@"\[test\] error DY6100: docker run \(job 'test'\) needs a container engine to run it, and no Docker daemon answers at .*no-daemon\.sock", run.StandardError);
        Assert.DoesNotContain("never-reached\n", run.StandardError.Replace("$ echo never-reached", ""));
        Assert.DoesNotContain("   at ", run.StandardError);
    }

    private Task<HostileRun> RunAsync(string pipeline, string job)
    {
        _project.Write(pipeline);
        return _project.RunAsync(job);
    }

    private async Task AssertBuiltImageAsync(string tag)
    {
        var inspect = await Skopeo.InspectAsync(Registry, $"{Repository}:{tag}");
        Assert.Equal("dockyard", inspect.GetProperty("Labels").GetProperty("org.example.built-by").GetString());
        Assert.Equal(3, inspect.GetProperty("Layers").GetArrayLength());
    }

    public void Dispose() => _project.Dispose();
}
