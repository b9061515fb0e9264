using Dockyard.Tests.Hostile;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.ContainerCommands;

/// <summary>
/// The registry layer cache from a job's own lines, through the real <c>dockyard ci run</c> with no daemon: the second
/// run of each job has an empty Dockyard cache (a fresh runner) and takes its layer from the cache the first one wrote.
/// </summary>
public sealed class RegistryCacheJobTests : IClassFixture<ContainerJobRegistry>, IDisposable
{
    private readonly ContainerJobProject _project;

    public RegistryCacheJobTests(ContainerJobRegistry fixture) => _project = new ContainerJobProject(fixture, "regcache");

    private async Task<(HostileRun First, HostileRun Second)> RunTwiceAsync(string pipeline)
    {
        _project.Write(pipeline);
        var first = await _project.RunAsync("build");
        Assert.True(first.ExitCode == 0, first.ToString());
        _project.UseFreshCache();
        var second = await _project.RunAsync("build");
        Assert.True(second.ExitCode == 0, second.ToString());
        return (first, second);
    }

    [Fact]
    public async Task Docker_build_cache_from_and_cache_to_type_registry_reuse_the_layer_on_a_fresh_runner()
    {
        var (first, second) = await RunTwiceAsync("""
            build:
              image: docker:27
              services: [docker:27-dind]
              script:
                - echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY -u $CI_REGISTRY_USER --password-stdin
                - docker build --cache-from type=registry,ref=$CI_REGISTRY_IMAGE:buildcache --cache-to type=registry,ref=$CI_REGISTRY_IMAGE:buildcache,mode=max
                  --build-arg BASE=$BASE_IMAGE -t $CI_REGISTRY_IMAGE:1 .
                - docker push $CI_REGISTRY_IMAGE:1
            """);

        Assert.Contains($"layer cache {_project.Registry.Host}/{_project.Repository}:buildcache: nothing there yet", first.StandardError);
        Assert.Contains($"layer cache: wrote {_project.Registry.Host}/{_project.Repository}:buildcache (1 layer(s)", first.StandardError);
        Assert.Contains("layer cache: 1 layer(s) found in the registry", second.StandardError);
        Assert.Contains("buildcache", await Skopeo.ListTagsAsync(_project.Registry, _project.Repository));
    }

    [Fact]
    public async Task Kaniko_cache_keeps_its_layers_in_the_destinations_cache_repository()
    {
        var (first, second) = await RunTwiceAsync("""
            build:
              image: { name: "gcr.io/kaniko-project/executor:debug", entrypoint: [""] }
              script:
                - mkdir -p /kaniko/.docker
                - echo "{\"auths\":{\"${CI_REGISTRY}\":{\"auth\":\"$(printf "%s:%s" "${CI_REGISTRY_USER}" "${CI_REGISTRY_PASSWORD}" | base64 | tr -d '\n')\"}}}" > /kaniko/.docker/config.json
                - /kaniko/executor --context $CI_PROJECT_DIR --build-arg BASE=$BASE_IMAGE --destination $CI_REGISTRY_IMAGE:1 --cache=true
            """);

        Assert.Contains("--cache: layers are looked up by content in the cache repository", first.StandardError);
        Assert.DoesNotContain("found in the registry", first.StandardError);
        Assert.Contains("layer cache: 1 layer(s) found in the registry", second.StandardError);
        Assert.Equal(["dockyard-layer-cache"], await Skopeo.ListTagsAsync(_project.Registry, _project.Repository + "/cache"));
    }

    public void Dispose() => _project.Dispose();
}
