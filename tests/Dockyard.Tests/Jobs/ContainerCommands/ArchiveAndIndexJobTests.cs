using System.Text.Json;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.ContainerCommands;

/// <summary>
/// <c>docker build -o/--metadata-file</c>, <c>docker save</c>/<c>load</c> (files and pipes), <c>docker manifest
/// create/push</c> and <c>docker buildx imagetools create</c> carried out natively in jobs through the real
/// <c>dockyard ci run</c> with no daemon, against the real htpasswd registry, checked with skopeo.
/// </summary>
public sealed class ArchiveAndIndexJobTests : IClassFixture<ContainerJobRegistry>, IDisposable
{
    private readonly ContainerJobProject _project;

    public ArchiveAndIndexJobTests(ContainerJobRegistry fixture) => _project = new ContainerJobProject(fixture, "archive");

    private RegistryServer Registry => _project.Registry;

    [Fact]
    public async Task Build_outputs_save_and_load_hand_an_image_from_one_job_to_the_next()
    {
        _project.Write("""
            build:
              stage: build
              image: docker:27
              services: [docker:27-dind]
              script:
                - docker buildx build --build-arg BASE=$BASE_IMAGE -t app:1 -t app:latest --load --secret id=npm,src=/dev/null --progress plain
                  -o type=oci,dest=app-oci.tar --metadata-file meta.json .
                - docker save -o app.tar app:1 app:latest
                - docker save app:1 | cat > app-piped.tar
              artifacts:
                paths: [app.tar, app-piped.tar, app-oci.tar, meta.json]
            deploy:
              stage: deploy
              image: docker:27
              services: [docker:27-dind]
              script:
                - docker load -i app.tar
                - docker load < app-piped.tar
                - docker images
                - echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY -u $CI_REGISTRY_USER --password-stdin
                - docker tag app:latest $CI_REGISTRY_IMAGE:loaded
                - docker push $CI_REGISTRY_IMAGE:loaded
            """);

        var run = await _project.RunAsync("--pipeline");

        Assert.True(run.ExitCode == 0, run.ToString());
        var artifacts = Path.Combine(_project.Directory, ".dockyard", "artifacts", "build");
        var saved = await Skopeo.InspectTransportAsync("docker-archive:" + Path.Combine(artifacts, "app.tar") + ":docker.io/library/app:latest");
        var piped = await Skopeo.InspectTransportAsync("docker-archive:" + Path.Combine(artifacts, "app-piped.tar"));
        var oci = await Skopeo.InspectTransportAsync("oci-archive:" + Path.Combine(artifacts, "app-oci.tar"));
        var layers = saved.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Equal(layers, piped.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(layers.Count, oci.GetProperty("Layers").GetArrayLength());
        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(artifacts, "meta.json"))).RootElement;
        Assert.Equal(oci.GetProperty("Digest").GetString(), meta.GetProperty("containerimage.digest").GetString());
        Assert.Equal("docker.io/library/app:1,docker.io/library/app:latest", meta.GetProperty("image.name").GetString());
        Assert.StartsWith("sha256:", meta.GetProperty("containerimage.config.digest").GetString(), StringComparison.Ordinal);
        Assert.Contains("[deploy] Loaded image: docker.io/library/app:1", run.StandardError);
        Assert.Contains("[deploy] Loaded image: docker.io/library/app:latest", run.StandardError);
        Assert.Contains("--load: the image is in the job's images", run.StandardError);
        Assert.Contains("--secret: accepted; the native build runs no RUN line", run.StandardError);
        // What the next job loaded and pushed is the same image (its config, diff_ids included; the manifest is written anew, as docker load does).
        var pushedConfig = await Skopeo.InspectConfigAsync($"docker://{Registry.Host}/{_project.Repository}:loaded", [.. Registry.SkopeoArguments()]);
        var savedConfig = await Skopeo.InspectConfigAsync("docker-archive:" + Path.Combine(artifacts, "app.tar") + ":docker.io/library/app:latest");
        Assert.Equal(savedConfig["rootfs"]!.ToJsonString(), pushedConfig["rootfs"]!.ToJsonString());
        Assert.Equal(savedConfig["config"]!.ToJsonString(), pushedConfig["config"]!.ToJsonString());
    }

    [Fact]
    public async Task Manifest_create_and_push_and_imagetools_create_write_an_index_of_the_pushed_platforms()
    {
        _project.Write("""
            index:
              image: docker:27
              services: [docker:27-dind]
              script:
                - echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY -u $CI_REGISTRY_USER --password-stdin
                - docker build --platform linux/amd64 --build-arg BASE=scratch -t $CI_REGISTRY_IMAGE:amd64 --push .
                - docker build --platform linux/arm64 --build-arg BASE=scratch -t $CI_REGISTRY_IMAGE:arm64 --push .
                - docker manifest create $CI_REGISTRY_IMAGE:multi $CI_REGISTRY_IMAGE:amd64
                - docker manifest create --amend $CI_REGISTRY_IMAGE:multi $CI_REGISTRY_IMAGE:arm64
                - docker manifest push --purge $CI_REGISTRY_IMAGE:multi
                - docker buildx imagetools create -t $CI_REGISTRY_IMAGE:tools -t $CI_REGISTRY_IMAGE:tools2 $CI_REGISTRY_IMAGE:amd64 $CI_REGISTRY_IMAGE:arm64
                - docker manifest push $CI_REGISTRY_IMAGE:multi || echo "gone after --purge"
            """);

        var run = await _project.RunAsync("index");

        Assert.True(run.ExitCode == 0, run.ToString());
        var index = JsonDocument.Parse(await Skopeo.RawManifestAsync(Registry, _project.Repository + ":multi")).RootElement;
        var entries = index.GetProperty("manifests").EnumerateArray()
            .ToDictionary(m => m.GetProperty("platform").GetProperty("architecture").GetString()!, m => m.GetProperty("digest").GetString());
        Assert.Equal(["amd64", "arm64"], entries.Keys.Order());
        Assert.Equal((await Skopeo.InspectAsync(Registry, _project.Repository + ":amd64")).GetProperty("Digest").GetString(), entries["amd64"]);
        Assert.Equal((await Skopeo.InspectAsync(Registry, _project.Repository + ":arm64")).GetProperty("Digest").GetString(), entries["arm64"]);
        var multi = System.Text.Encoding.UTF8.GetString(await Skopeo.RawManifestAsync(Registry, _project.Repository + ":multi"));
        Assert.Equal(multi, System.Text.Encoding.UTF8.GetString(await Skopeo.RawManifestAsync(Registry, _project.Repository + ":tools")));
        Assert.Equal(multi, System.Text.Encoding.UTF8.GetString(await Skopeo.RawManifestAsync(Registry, _project.Repository + ":tools2")));
        Assert.Contains("[index] Created manifest list", run.StandardError);
        Assert.Contains("no manifest list", run.StandardError);
        Assert.Contains("[index] gone after --purge", run.StandardError);
    }

    [Fact]
    public async Task A_file_system_export_fails_the_line_before_anything_is_built()
    {
        _project.Write("""
            build:
              image: docker:27
              services: [docker:27-dind]
              script:
                - docker buildx build --build-arg BASE=$BASE_IMAGE -t app:1 -o type=local,dest=out .
                - echo never-reached
            """);

        var run = await _project.RunAsync("build");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("docker buildx build (job 'build'): docker build --output type=local,dest=out: this exports the image's file system", run.StandardError);
        Assert.False(Directory.Exists(Path.Combine(_project.Directory, "out")));
    }

    public void Dispose() => _project.Dispose();
}
