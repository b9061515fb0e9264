using Dockyard.Builders;
using Dockyard.Builders.Docker;
using Dockyard.Diagnostics;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Builders.Backends;

/// <summary>The docker CLI backend against the real dockerd fixture and real registries.</summary>
[Collection(DockerDaemonCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DockerCliBackendTests(DockerDaemon daemon)
{
    private DockerCliOptions Options(RecordingWrapper? wrapper = null, List<string>? log = null, string? userConfig = null) => new()
    {
        Executable = wrapper?.Executable ?? "docker",
        Environment = new Dictionary<string, string?> { ["DOCKER_HOST"] = daemon.Host, ["DOCKER_CONFIG"] = userConfig ?? daemon.ClientConfig },
        Log = log is null ? null : line => { lock (log) log.Add(line); },
    };

    [Fact]
    public async Task BuildsTheTargetStagePushesEveryTagAndTheImageRuns()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var scenario = await BackendScenario.CreateAsync(registry);
        var log = new List<string>();

        var result = await new DockerCliBackend(registry.Credentials(), Options(log: log)).BuildAsync(scenario.Request("docker-anon"));

        Assert.Equal(BackendKind.Docker, result.Backend);
        // COPY --from and RUN of the final stage each add a layer with the classic builder.
        await scenario.AssertPushedAsync("docker-anon", result, ownLayers: 2);
        Assert.DoesNotContain(log, l => l.Contains("the never stage was built", StringComparison.Ordinal));
        var run = await daemon.DockerAsync(["run", "--rm", "--network", "none", registry.Reference("docker-anon:1").ToString()]);
        Assert.Equal(BackendScenario.ExpectedOutput, run.StandardOutput.TrimEnd('\n'));
    }

    [Fact]
    public async Task LogsInThroughStdinIntoATemporaryConfigAndLeavesTheUsersConfigAlone()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Basic });
        using var scenario = await BackendScenario.CreateAsync(registry);
        using var wrapper = new RecordingWrapper("docker", "DOCKER_CONFIG", "SECRET_NOTE");
        using var user = new TempDirectory("user-docker");
        const string userConfig = """{"auths":{"other.example.com":{"auth":"dXNlcjpwYXNz"}},"detachKeys":"ctrl-e,e"}""";
        File.WriteAllText(user.Combine("config.json"), userConfig);
        var log = new List<string>();
        // A platform credential store on PATH must not be used: docker would fall back to it for an empty config.
        using var stores = new TempDirectory("stores");
        foreach (var store in new[] { "docker-credential-secretservice", "docker-credential-pass" })
        {
            File.WriteAllText(stores.Combine(store), $"#!/bin/sh\necho \"$0 $*\" >> '{stores.Combine("called.log")}'\nexit 1\n");
            File.SetUnixFileMode(stores.Combine(store), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var options = Options(wrapper, log, user.Path);
        options = options with { Environment = new Dictionary<string, string?>(options.Environment) { ["PATH"] = stores.Path + ":" + Environment.GetEnvironmentVariable("PATH") } };

        // A build argument carrying a secret travels through the environment, not argv.
        var request = scenario.Request("docker-auth", new Dictionary<string, string> { ["SECRET_NOTE"] = registry.Password! });
        var result = await new DockerCliBackend(registry.Credentials(), options).BuildAsync(request);

        await scenario.AssertPushedAsync("docker-auth", result, ownLayers: 2);
        Assert.False(File.Exists(stores.Combine("called.log")), "a credential store was called");
        Assert.Equal(userConfig, File.ReadAllText(user.Combine("config.json")));
        Assert.Equal(["config.json"], Directory.GetFileSystemEntries(user.Path).Select(Path.GetFileName));

        var commands = wrapper.CommandLines;
        Assert.Contains(commands, c => c.Contains("<login> <--username> <tester> <--password-stdin>", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("<--build-arg> <SECRET_NOTE>", StringComparison.Ordinal));
        Assert.Equal(2, commands.Count(c => c.Contains("<push>", StringComparison.Ordinal)));
        BackendScenario.AssertNoSecret(registry.Password!, registry.Username!, [.. commands, .. log]);

        // login, build and push used one temporary DOCKER_CONFIG, which is gone; only the daemon check saw the user's.
        var configs = wrapper.Values("DOCKER_CONFIG");
        var temporary = configs.Where(c => c != user.Path).Distinct().ToList();
        var single = Assert.Single(temporary);
        Assert.False(Directory.Exists(single));
        Assert.Equal(4, configs.Count(c => c == single));
    }

    [Fact]
    public async Task BuildFailureCarriesTheMaskedTailOfTheOutput()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Basic });
        // The classic builder builds every stage up to the target, so the failing stage replaces the last one.
        var dockerfile = BackendScenario.Dockerfile[..BackendScenario.Dockerfile.IndexOf("FROM ${BASE} AS never", StringComparison.Ordinal)] +
                         "FROM ${BASE} AS broken\nARG TOKEN\nRUN echo \"token is $TOKEN\" && exit 3\n";
        using var scenario = await BackendScenario.CreateAsync(registry, dockerfile);
        var log = new List<string>();
        var request = scenario.Request("docker-fail", new Dictionary<string, string> { ["TOKEN"] = registry.Password! }) with { Target = "broken" };

        var error = await Assert.ThrowsAsync<DockyardException>(() => new DockerCliBackend(registry.Credentials(), Options(log: log)).BuildAsync(request));

        Assert.Contains("docker build of", error.Message, StringComparison.Ordinal);
        Assert.Contains("(target broken) failed (exit 3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("token is ****", error.Message, StringComparison.Ordinal);
        Assert.Contains("non-zero code: 3", error.Message, StringComparison.Ordinal);
        BackendScenario.AssertNoSecret(registry.Password!, registry.Username!, [error.Message, .. log]);
    }

    [Fact]
    public async Task UnreachableDaemonIsAClearError()
    {
        using var dir = new TempDirectory("nodaemon");
        File.WriteAllText(dir.Combine("Dockerfile"), "FROM scratch\n");
        var options = new DockerCliOptions { Environment = new Dictionary<string, string?> { ["DOCKER_HOST"] = $"unix://{dir.Combine("missing.sock")}" } };
        var request = new BackendBuildRequest { ContextDirectory = dir.Path, Tags = [Dockyard.Registries.References.ImageReference.Parse("127.0.0.1:1/x:1")] };

        var error = await Assert.ThrowsAsync<DockyardException>(() => new DockerCliBackend(new Dockyard.Credentials.ExplicitCredentialProvider(), options).BuildAsync(request));

        Assert.Contains($"no Docker daemon answers at unix://{dir.Combine("missing.sock")}", error.Message, StringComparison.Ordinal);
        Assert.Contains("set DOCKER_HOST", error.Message, StringComparison.Ordinal);
        Assert.Contains("choose the buildah or native backend", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalOutputKeepsTheImageInTheDaemonWithoutPushing()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var scenario = await BackendScenario.CreateAsync(registry);
        var request = scenario.Request("docker-local") with { Output = BackendOutput.LocalImage };

        var result = await new DockerCliBackend(registry.Credentials(), Options()).BuildAsync(request);

        Assert.Empty(result.Pushed);
        var inspect = await ProcessRunner.RunAsync("skopeo", ["inspect", .. registry.SkopeoArguments(), $"docker://{registry.Host}/docker-local:1"]);
        Assert.NotEqual(0, inspect.ExitCode);
        var labels = await daemon.DockerAsync(["image", "inspect", "--format", "{{index .Config.Labels \"stage\"}}", registry.Reference("docker-local:1").ToString()]);
        Assert.Equal("final", labels.StandardOutput.Trim());
    }
}
