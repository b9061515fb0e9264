using Dockyard.Builders;
using Dockyard.Tests.Builders.Backends;
using Dockyard.Tests.Infrastructure;
using Dockyard.UseCases.Build;

namespace Dockyard.Tests.UseCases;

/// <summary>
/// "Build an image" with the docker (real dockerd fixture) and buildah backends, called as a front calls it: the
/// Dockerfile's FROM is a private image on an htpasswd registry whose credentials come from a docker config file, and
/// the result is pushed to another registry.
/// </summary>
[Collection(DockerDaemonCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImageBuildContainerTests(DockerDaemon daemon) : IDisposable
{
    private readonly TempDirectory _buildah = new("uc-buildah");

    [Fact]
    public Task Docker_builds_from_a_private_base_with_credentials_from_the_docker_config() => BuildsFromPrivateBaseAsync(BackendKind.Docker, "uc-docker");

    [Fact]
    public Task Buildah_builds_from_a_private_base_with_credentials_from_the_docker_config() => BuildsFromPrivateBaseAsync(BackendKind.Buildah, "uc-buildah");

    private async Task BuildsFromPrivateBaseAsync(BackendKind backend, string repository)
    {
        await using var bases = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Basic });
        await using var target = await RegistryServer.StartAsync();
        using var scenario = await BackendScenario.CreateAsync(bases);
        using var host = new TestHost(new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host });
        host.WriteDockerLogin(bases.Host, bases.Username!, bases.Password!);

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = scenario.Context, Target = "final", BuildArguments = [$"BASE={scenario.BaseImage}", "GREETING=hello"],
            Tags = [target.Reference($"{repository}:1").ToString()], Platforms = [new Dockyard.Images.Platform("linux", "amd64")],
            Destination = ImageDestination.Push, Backend = backend,
            Tools = new BuildTools { BuildahRoot = _buildah.Combine("root"), BuildahRunRoot = _buildah.Combine("runroot") },
        });

        Assert.Equal(backend, result.Backend);
        var inspect = await Skopeo.InspectAsync(target, $"{repository}:1");
        var image = Assert.Single(result.Images);
        Assert.Equal(inspect.GetProperty("Digest").GetString(), image.ManifestDigest?.ToString());
        Assert.NotNull(image.ConfigDigest);
        Assert.True(image.Size > 0);
        Assert.Null(result.UploadedBytes);
        // The tool's own output reached the logger, masked, and no secret did.
        Assert.Contains(host.Logger.Entries, e => e.Diagnostic?.Subject == "tool" && e.Text.Contains("STEP", StringComparison.OrdinalIgnoreCase));
        BackendScenario.AssertNoSecret(bases.Password!, bases.Username!, host.LoggedText);
        var run = await daemon.DockerAsync(["run", "--rm", "--network", "none", target.Reference($"{repository}:1").ToString()]);
        Assert.Equal(BackendScenario.ExpectedOutput, run.StandardOutput.TrimEnd('\n'));
    }

    [Fact]
    public async Task Insecure_registries_of_the_request_reach_buildah_through_a_private_registries_conf()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var scenario = await BackendScenario.CreateAsync(registry);
        using var host = new TestHost();
        var seen = host.Combine("registries-conf.log");
        var wrapper = host.Combine("buildah-wrapper");
        File.WriteAllText(wrapper, $"#!/bin/sh\n[ -n \"$CONTAINERS_REGISTRIES_CONF\" ] && cat \"$CONTAINERS_REGISTRIES_CONF\" >> '{seen}'\nexec buildah \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = scenario.Context, Target = "final", BuildArguments = [$"BASE={scenario.BaseImage}", "GREETING=hello"],
            Tags = ["registry.corp.example:5000/app:1"], Backend = BackendKind.Buildah, InsecureRegistries = ["registry.corp.example:5000"],
            Tools = new BuildTools { Buildah = wrapper, BuildahRoot = _buildah.Combine("root"), BuildahRunRoot = _buildah.Combine("runroot") },
        });

        Assert.Equal("buildah's image store", result.Location);
        var conf = File.ReadAllText(seen);
        Assert.Contains("location = \"registry.corp.example:5000\"\ninsecure = true", conf, StringComparison.Ordinal);
        Assert.Contains($"location = \"{registry.Host}\"\ninsecure = true", conf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_registries_come_from_the_plans_from_images()
    {
        using var temp = new TempDirectory("uc-pull");
        using var host = new TestHost();
        Builders.Native.NativeBuildScenario.Write(temp.Path, "Dockerfile",
            "ARG BASE=registry.example.com:5000/base:1\nFROM ${BASE} AS one\nFROM other.example.org/tools:2 AS two\nCOPY --from=mirror.example.net/x/y:3 /a /a\n" +
            "FROM oci:/layouts/base AS three\nFROM one\nCOPY --from=two /a /a\n");

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest { ContextDirectory = temp.Path, PlanOnly = true });
        var inputs = new ImageBuildInputs(temp.Path, null, [], Dockyard.Dockerfiles.Evaluation.BuildArguments.None, [result.Plan]);

        Assert.Equal(["registry.example.com:5000", "other.example.org", "mirror.example.net"], ImageBuild.PullRegistries(inputs));
    }

    /// <summary>Deletes buildah's storage.</summary>
    public void Dispose() => _buildah.Dispose();
}
