using System.Text;
using Dockyard.Builders.Native;
using Dockyard.Images.DockerArchive;
using Dockyard.Layers;
using Dockyard.Tests.Builders.Native;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.ContainerCommands;

/// <summary>
/// GitLab's documented image jobs (Docker-in-Docker with and without TLS, kaniko, buildah, podman), run unchanged by
/// <c>dockyard ci run</c> with no daemon for the job, push the image a real <c>docker build</c> of the same Dockerfile
/// on the same base makes: the same filesystem (paths, types, modes, owners, bytes) and config. dockerd builds the
/// reference image afterwards.
/// </summary>
[Collection(DockerDaemonCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ContainerJobEquivalenceTests(DockerDaemon daemon, ContainerJobRegistry fixture) : IClassFixture<ContainerJobRegistry>
{
    public static TheoryData<string, string> Jobs => new()
    {
        {
            "dind-without-tls", """
            build:
              image: docker:24.0.5-cli
              services: [docker:24.0.5-dind]
              variables:
                DOCKER_HOST: tcp://docker:2375
                DOCKER_TLS_CERTDIR: ""
              script:
                - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
                - docker build --build-arg BASE=$BASE_IMAGE -t $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG .
                - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG
            """
        },
        {
            "dind-with-tls", """
            build:
              image: docker:24.0.5-cli
              services: [docker:24.0.5-dind]
              variables:
                DOCKER_HOST: tcp://docker:2376
                DOCKER_TLS_CERTDIR: "/certs"
              script:
                - echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY -u $CI_REGISTRY_USER --password-stdin
                - docker buildx build --build-arg BASE=$BASE_IMAGE --push -t $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG .
            """
        },
        {
            "kaniko", """
            build:
              image:
                name: gcr.io/kaniko-project/executor:debug
                entrypoint: [""]
              script:
                - echo "{\"auths\":{\"${CI_REGISTRY}\":{\"auth\":\"$(printf "%s:%s" "${CI_REGISTRY_USER}" "${CI_REGISTRY_PASSWORD}" | base64 | tr -d '\n')\"}}}" > /kaniko/.docker/config.json
                - /kaniko/executor --context "${CI_PROJECT_DIR}" --dockerfile "${CI_PROJECT_DIR}/Dockerfile" --build-arg BASE=$BASE_IMAGE --destination "${CI_REGISTRY_IMAGE}:${CI_COMMIT_REF_SLUG}"
            """
        },
        {
            "buildah", """
            build:
              image: quay.io/buildah/stable
              variables:
                STORAGE_DRIVER: vfs
              script:
                - buildah login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY
                - buildah build --build-arg BASE=$BASE_IMAGE -t $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG .
                - buildah push $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG
            """
        },
        {
            "podman", """
            build:
              image: quay.io/podman/stable
              script:
                - podman login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY
                - podman build --build-arg BASE=$BASE_IMAGE -t $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG .
                - podman push $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG
            """
        },
    };

    [Theory]
    [MemberData(nameof(Jobs))]
    public async Task The_job_pushes_what_docker_build_makes_of_the_same_Dockerfile(string name, string pipeline)
    {
        using var project = new ContainerJobProject(fixture, "cjob-eq-" + name);
        project.Write(pipeline);
        var run = await project.RunAsync("build");
        Assert.True(run.ExitCode == 0, run.ToString());

        var temp = project.Root;
        var authFile = temp.WriteFile("auth.json", "{\"auths\":{\"" + fixture.Registry.Host + "\":{\"auth\":\""
            + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{fixture.Registry.Username}:{fixture.Registry.Password}")) + "\"}}}");
        var pushedArchive = temp.Combine("pushed.tar");
        (await ProcessRunner.RunAsync("skopeo", ["copy", "--src-tls-verify=false", "--src-authfile", authFile,
            $"docker://{fixture.Registry.Host}/{project.Repository}:main", $"docker-archive:{pushedArchive}:pushed/{name}:1"])).EnsureSuccess("skopeo copy");

        var baseArchive = temp.Combine("base.tar");
        (await ProcessRunner.RunAsync("skopeo", ["copy", "--src-tls-verify=false", "--src-authfile", authFile,
            $"docker://{fixture.BaseImage}", $"docker-archive:{baseArchive}:{fixture.BaseImage}"])).EnsureSuccess("skopeo copy base");
        await daemon.DockerAsync(["load", "-i", baseArchive]);
        var tag = $"dockyard.test/job-eq-{name}:" + Guid.NewGuid().ToString("N")[..8];
        var context = temp.Combine("docker-context");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), ContainerJobProject.Dockerfile);
        File.Copy(Path.Combine(project.Directory, "app.txt"), Path.Combine(context, "app.txt"));
        await daemon.DockerAsync(["build", "--build-arg", "BASE=" + fixture.BaseImage, "-t", tag, context]);
        var dockerArchive = temp.Combine("docker.tar");
        await daemon.DockerAsync(["save", "-o", dockerArchive, tag]);

        var cache = new LayerCache(temp.Combine("read-cache"));
        var fromDocker = DockerArchiveReader.Read(dockerArchive, cache);
        var fromJob = DockerArchiveReader.Read(pushedArchive, cache);
        var jobFiles = DockerEquivalenceTests.Describe(FileTree.FromLayers(fromJob.Layers, temp.Combine("s1")));
        Assert.Contains(jobFiles, line => line.StartsWith("app/app.txt File 644 0:0 ", StringComparison.Ordinal));
        DockerEquivalenceTests.AssertSameFiles(DockerEquivalenceTests.Describe(FileTree.FromLayers(fromDocker.Layers, temp.Combine("s2"))), jobFiles);
        Assert.Equal(DockerEquivalenceTests.ConfigFields(fromDocker.Config), DockerEquivalenceTests.ConfigFields(fromJob.Config));
        await daemon.DockerAsync(["rmi", "-f", tag], check: false);
    }
}
