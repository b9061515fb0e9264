using Dockyard.Builders;
using Dockyard.Builders.Buildah;
using Dockyard.Builders.Docker;
using Dockyard.Builders.Native;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Builders.Backends;

/// <summary>BackendSelector decisions with the real tools: a live dockerd, a dead socket, installed and missing buildah.</summary>
[Collection(DockerDaemonCollection.Name)]
public sealed class BackendSelectorTests(DockerDaemon daemon) : IDisposable
{
    private static readonly NativeEligibility Blocked = NativeEligibility.Blocked("Dockerfile:4: RUN apk add curl runs a command", "Dockerfile:9: RUN make");
    private readonly TempDirectory _dir = new("selector");

    private DockerCliBackend LiveDocker => new(new ExplicitCredentialProvider(), new() { Environment = new Dictionary<string, string?> { ["DOCKER_HOST"] = daemon.Host } });

    private DockerCliBackend DeadDocker => new(new ExplicitCredentialProvider(), new() { Environment = new Dictionary<string, string?> { ["DOCKER_HOST"] = $"unix://{_dir.Combine("dead.sock")}" } });

    private DockerCliBackend MissingDocker => new(new ExplicitCredentialProvider(), new() { Executable = _dir.Combine("docker") });

    private static readonly NativeBackend Native = new(new NativeBuildOptions { Cache = new Dockyard.Layers.LayerCache(Path.Combine(Path.GetTempPath(), "dockyard-selector-cache")) });

    private static BuildahBackend InstalledBuildah => new(new ExplicitCredentialProvider());

    private BuildahBackend MissingBuildah => new(new ExplicitCredentialProvider(), new() { Executable = _dir.Combine("buildah") });

    [Fact]
    public async Task AutoPicksNativeWhenThePlanAllowsItWithoutProbing()
    {
        var selection = await new BackendSelector(Native, MissingDocker, MissingBuildah).SelectAsync(BackendKind.Auto, NativeEligibility.Allowed);
        Assert.Equal(BackendKind.Native, selection.Kind);
        Assert.Same(Native, selection.Backend);
        Assert.True(selection.Backend.ReturnsImages);
    }

    [Fact]
    public async Task AutoPicksDockerWhenADaemonAnswers()
    {
        var docker = LiveDocker;
        var selection = await new BackendSelector(Native, docker, MissingBuildah).SelectAsync(BackendKind.Auto, Blocked);
        Assert.Equal(BackendKind.Docker, selection.Kind);
        Assert.Same(docker, selection.Backend);
        Assert.Contains("Dockerfile:4: RUN apk add curl runs a command (and 1 more)", selection.Reason, StringComparison.Ordinal);
        Assert.Contains($"Docker daemon 20.10", selection.Reason, StringComparison.Ordinal);
        Assert.Contains(daemon.Host, selection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoFallsBackToBuildahWhenNoDaemonAnswers()
    {
        var selection = await new BackendSelector(Native, DeadDocker, InstalledBuildah).SelectAsync(BackendKind.Auto, Blocked);
        Assert.Equal(BackendKind.Buildah, selection.Kind);
        Assert.Contains("no Docker daemon", selection.Reason, StringComparison.Ordinal);
        Assert.Contains("buildah 1.", selection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoListsWhatIsMissingWhenNothingCanBuild()
    {
        var error = await Assert.ThrowsAsync<DockyardException>(() => new BackendSelector(Native, MissingDocker, MissingBuildah).SelectAsync(BackendKind.Auto, Blocked));
        Assert.Contains("No backend can build this target", error.Message, StringComparison.Ordinal);
        Assert.Contains("- native: Dockerfile:4: RUN apk add curl runs a command; Dockerfile:9: RUN make", error.Message, StringComparison.Ordinal);
        Assert.Contains("- docker: the docker CLI", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install docker.io", error.Message, StringComparison.Ordinal);
        Assert.Contains("- buildah: buildah", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install buildah", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplicitNativeFailsWithTheLinesThatNeedAContainer()
    {
        var error = await Assert.ThrowsAsync<DockyardException>(() => new BackendSelector(Native, LiveDocker, InstalledBuildah).SelectAsync(BackendKind.Native, Blocked));
        Assert.Contains("The native backend cannot build this target:\n- Dockerfile:4: RUN apk add curl runs a command\n- Dockerfile:9: RUN make", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplicitDockerIsCheckedEvenWhenNativeWouldDo()
    {
        var error = await Assert.ThrowsAsync<DockyardException>(() => new BackendSelector(Native, DeadDocker, InstalledBuildah).SelectAsync(BackendKind.Docker, NativeEligibility.Allowed));
        Assert.Contains($"The docker backend cannot build here: no Docker daemon answers at unix://{_dir.Combine("dead.sock")}", error.Message, StringComparison.Ordinal);

        var buildah = InstalledBuildah;
        var selection = await new BackendSelector(Native, DeadDocker, buildah).SelectAsync(BackendKind.Buildah, NativeEligibility.Allowed);
        Assert.Same(buildah, selection.Backend);
        Assert.Equal(Setting.Backend, error.Setting);
    }

    [Fact]
    public async Task WithoutDockerHostTheCurrentDockerContextNamesTheDaemon()
    {
        var config = _dir.Combine("user-config");
        Directory.CreateDirectory(config);
        (await ProcessRunner.RunAsync("docker", ["--config", config, "context", "create", "fixture", "--docker", $"host={daemon.Host}"])).EnsureSuccess("docker context create");
        var docker = new DockerCliBackend(new ExplicitCredentialProvider(), new()
        {
            Environment = new Dictionary<string, string?> { ["DOCKER_HOST"] = null, ["DOCKER_CONFIG"] = config, ["DOCKER_CONTEXT"] = "fixture" },
        });

        var availability = await docker.ProbeAsync();

        Assert.True(availability.IsAvailable, availability.Detail);
        Assert.EndsWith($"at {daemon.Host}", availability.Detail, StringComparison.Ordinal);
    }

    /// <summary>Deletes the temp directory.</summary>
    public void Dispose() => _dir.Dispose();
}
