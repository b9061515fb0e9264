using Dockyard.Builders;
using Dockyard.Builders.Buildah;
using Dockyard.Diagnostics;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Builders.Backends;

/// <summary>The buildah backend (real buildah, chroot isolation, vfs storage in a temp root) against real registries.</summary>
[Collection(DockerDaemonCollection.Name)]
public sealed class BuildahBackendTests(DockerDaemon daemon) : IDisposable
{
    private readonly TempDirectory _storage = new("buildah");

    private BuildahOptions Options(RecordingWrapper? wrapper = null, List<string>? log = null) => new()
    {
        Executable = wrapper?.Executable ?? "buildah",
        Root = _storage.Combine("root"),
        RunRoot = _storage.Combine("runroot"),
        Log = log is null ? null : line => { lock (log) log.Add(line); },
    };

    [Fact]
    public async Task BuildsUnprivilegedPushesEveryTagAndDockerRunsTheResult()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var scenario = await BackendScenario.CreateAsync(registry);
        var log = new List<string>();

        var result = await new BuildahBackend(registry.Credentials(), Options(log: log)).BuildAsync(scenario.Request("buildah-anon"));

        Assert.Equal(BackendKind.Buildah, result.Backend);
        // Without --layers buildah commits each stage's instructions as one layer.
        await scenario.AssertPushedAsync("buildah-anon", result, ownLayers: 1);
        Assert.DoesNotContain(log, l => l.Contains("the never stage was built", StringComparison.Ordinal));
        var run = await daemon.DockerAsync(["run", "--rm", "--network", "none", registry.Reference("buildah-anon:1").ToString()]);
        Assert.Equal(BackendScenario.ExpectedOutput, run.StandardOutput.TrimEnd('\n'));
    }

    [Fact]
    public async Task CredentialsGoThroughATemporaryAuthFileNeverArgv()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Basic });
        using var scenario = await BackendScenario.CreateAsync(registry);
        using var wrapper = new RecordingWrapper("buildah", "SECRET_NOTE");
        var log = new List<string>();
        var request = scenario.Request("buildah-auth", new Dictionary<string, string> { ["SECRET_NOTE"] = registry.Password! });

        var result = await new BuildahBackend(registry.Credentials(), Options(wrapper, log)).BuildAsync(request);

        await scenario.AssertPushedAsync("buildah-auth", result, ownLayers: 1);
        var commands = wrapper.CommandLines;
        var bud = Assert.Single(commands, c => c.Contains("<bud>", StringComparison.Ordinal));
        Assert.Contains("<--storage-driver> <vfs> <bud> <--isolation> <chroot>", bud, StringComparison.Ordinal);
        Assert.Contains("<--tls-verify=false>", bud, StringComparison.Ordinal);
        Assert.Contains("<--build-arg> <SECRET_NOTE>", bud, StringComparison.Ordinal);
        Assert.Equal(registry.Password, Assert.Single(wrapper.Values("SECRET_NOTE"), v => v.Length > 0));
        Assert.Equal(2, commands.Count(c => c.Contains("<push>", StringComparison.Ordinal)));
        BackendScenario.AssertNoSecret(registry.Password!, registry.Username!, [.. commands, .. log]);

        // Every run named the same auth file, which is gone now.
        var authFiles = commands.Where(c => c.Contains("<--authfile>", StringComparison.Ordinal))
            .Select(c => c.Split("<--authfile> <")[1].Split('>')[0]).Distinct().ToList();
        Assert.False(File.Exists(Assert.Single(authFiles)));
        Assert.DoesNotContain(commands, c => c.Contains("--creds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailingRunStepIsReportedWithTheToolsLastLines()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var scenario = await BackendScenario.CreateAsync(registry);
        var request = scenario.Request("buildah-fail") with { Target = "never" };

        var error = await Assert.ThrowsAsync<DockyardException>(() => new BuildahBackend(registry.Credentials(), Options()).BuildAsync(request));

        Assert.Contains("buildah bud of", error.Message, StringComparison.Ordinal);
        Assert.Contains("(target never) failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("the never stage was built", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingBuildahIsAClearError()
    {
        using var dir = new TempDirectory("nobuildah");
        File.WriteAllText(dir.Combine("Dockerfile"), "FROM scratch\n");
        var options = new BuildahOptions { Executable = dir.Combine("buildah") };
        var request = new BackendBuildRequest { ContextDirectory = dir.Path, Tags = [Dockyard.Registries.References.ImageReference.Parse("127.0.0.1:1/x:1")] };

        var error = await Assert.ThrowsAsync<DockyardException>(() => new BuildahBackend(new Dockyard.Credentials.ExplicitCredentialProvider(), options).BuildAsync(request));

        Assert.Contains($"buildah ('{dir.Combine("buildah")}') is not on PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install buildah", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABearerRegistryTokenIsRejectedBeforeBuilding()
    {
        using var dir = new TempDirectory("buildah-token");
        File.WriteAllText(dir.Combine("Dockerfile"), "FROM scratch\n");
        var credentials = new TokenOnly(new Dockyard.Credentials.RegistryCredential(null, null, null, "bearer-value", "docker config registrytoken"));
        var request = new BackendBuildRequest { ContextDirectory = dir.Path, Tags = [Dockyard.Registries.References.ImageReference.Parse("registry.example.com/x:1")] };

        var error = await Assert.ThrowsAsync<DockyardException>(() => new BuildahBackend(credentials, Options()).BuildAsync(request));

        Assert.Contains("credential for registry.example.com", error.Message, StringComparison.Ordinal);
        Assert.Contains("bearer registry token, which buildah cannot use", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bearer-value", error.Message, StringComparison.Ordinal);
    }

    private sealed class TokenOnly(Dockyard.Credentials.RegistryCredential credential) : Dockyard.Credentials.ICredentialProvider
    {
        public ValueTask<Dockyard.Credentials.RegistryCredential?> GetAsync(string registry, Dockyard.Credentials.RegistryAccess access, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<Dockyard.Credentials.RegistryCredential?>(credential);
    }

    /// <summary>Removes the images from the temp storage, then the storage.</summary>
    public void Dispose()
    {
        if (Directory.Exists(_storage.Combine("root")))
            ProcessRunner.RunAsync("buildah", [.. Options().GlobalArguments(), "rmi", "--all", "--force"]).GetAwaiter().GetResult();
        _storage.Dispose();
    }
}
