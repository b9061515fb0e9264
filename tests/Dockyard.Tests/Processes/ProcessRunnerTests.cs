using System.Text.Json;
using Dockyard.Builders;
using Dockyard.Builders.Docker;
using Dockyard.Builders.Processes;
using Dockyard.Credentials;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;

namespace Dockyard.Tests.Builders.Backends;

/// <summary>Running tools (with /bin/sh as the tool), private directories and the temporary docker config.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ToolProcessTests
{
    [Fact]
    public async Task SecretsGoInThroughStdinAndEveryOutputLineIsMasked()
    {
        var masker = new SecretMasker();
        masker.Add("pa55-word");
        var logged = new List<string>();
        var invocation = new ToolInvocation("/bin/sh", ["-c", "read secret; echo \"got $secret\"; echo \"$NOTE\" >&2; exit 4"])
        {
            StandardInput = "pa55-word\n",
            Environment = new Dictionary<string, string?> { ["NOTE"] = "note pa55-word", ["HOME"] = null },
        };

        var result = await ToolProcess.RunAsync(invocation, masker, line => { lock (logged) logged.Add(line); }, CancellationToken.None);

        Assert.Equal(4, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal(["got ****", "note ****"], result.LastLines.Order());
        Assert.Equal(["got ****", "note ****"], logged.Order());
        Assert.Contains("  got ****", result.Tail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvironmentOverridesAndRemovals()
    {
        Environment.SetEnvironmentVariable("DOCKYARD_BACKEND_TEST_INHERITED", "inherited");
        var invocation = new ToolInvocation("/bin/sh", ["-c", "echo \"[$DOCKYARD_BACKEND_TEST_INHERITED][$SET]\""])
        {
            Environment = new Dictionary<string, string?> { ["DOCKYARD_BACKEND_TEST_INHERITED"] = null, ["SET"] = "value" },
        };
        var result = await ToolProcess.RunAsync(invocation, new SecretMasker(), null, CancellationToken.None);
        Assert.Equal(["[][value]"], result.LastLines);
    }

    [Fact]
    public async Task AToolThatOutlivesItsTimeoutIsKilled()
    {
        var invocation = new ToolInvocation("/bin/sh", ["-c", "echo started; exec sleep 300"]) { Timeout = TimeSpan.FromMilliseconds(500) };
        var result = await ToolProcess.RunAsync(invocation, new SecretMasker(), null, CancellationToken.None);
        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.Equal(["started"], result.LastLines);
    }

    [Fact]
    public async Task AMissingExecutableIsADockyardException()
    {
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            ToolProcess.RunAsync(new ToolInvocation("/nonexistent/dockyard-tool", []), new SecretMasker(), null, CancellationToken.None));
        Assert.Contains("Cannot run '/nonexistent/dockyard-tool'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Install it or put it on PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutablesAreFoundOnTheGivenPath()
    {
        using var dir = new Infrastructure.TempDirectory("path");
        File.WriteAllText(dir.Combine("tool"), "#!/bin/sh\n");
        File.WriteAllText(dir.Combine("data"), "");
        File.SetUnixFileMode(dir.Combine("tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(dir.Combine("tool"), ExecutableLookup.Find("tool", "/nonexistent:" + dir.Path));
        Assert.Null(ExecutableLookup.Find("data", dir.Path));
        Assert.Null(ExecutableLookup.Find("tool", "/nonexistent"));
        Assert.Equal(dir.Combine("tool"), ExecutableLookup.Find(dir.Combine("tool"), ""));
    }

    [Fact]
    public void PrivateDirectoriesAreOwnerOnlyAndDeletedOnDispose()
    {
        string path, file;
        using (var directory = PrivateDirectory.Create("test"))
        {
            path = directory.Path;
            file = directory.WriteSecretFile("auth.json", "{}");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public async Task TokenCredentialsAreWrittenAsDockerWritesThemAndEveryRegistryIsSeeded()
    {
        var credentials = new FixedCredentials(new()
        {
            ["registry.example.com"] = new RegistryCredential("<token>", null, "refresh-token-value", null, "test"),
            ["docker.io"] = new RegistryCredential(null, null, null, "bearer-token-value", "test"),
        });
        var masker = new SecretMasker();
        var docker = new DockerCli(new DockerCliOptions(), "/nonexistent/docker", masker);
        string path;
        using (var config = await TemporaryDockerConfig.CreateAsync(docker, ["registry.example.com", "docker.io", "anonymous.example.com"], credentials, masker, CancellationToken.None))
        {
            path = config.Path;
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(path, "config.json")));
            var auths = json.RootElement.GetProperty("auths");
            Assert.Equal("refresh-token-value", auths.GetProperty("registry.example.com").GetProperty("identitytoken").GetString());
            Assert.Equal("PHRva2VuPjo=", auths.GetProperty("registry.example.com").GetProperty("auth").GetString());
            Assert.Equal("bearer-token-value", auths.GetProperty(RegistryName.DockerHubConfigKey).GetProperty("registrytoken").GetString());
            Assert.Empty(auths.GetProperty("anonymous.example.com").EnumerateObject());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(path, "config.json")));
        }
        Assert.False(Directory.Exists(path));
        Assert.Equal("****", masker.Mask("refresh-token-value"));
        Assert.Equal("****", masker.Mask("bearer-token-value"));
    }

    [Fact]
    public async Task RunsWithATemporaryConfigArePinnedToTheCheckedDaemonAndKeepTheUsersCertificates()
    {
        var options = new DockerCliOptions
        {
            Environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = "/home/u/.docker", ["DOCKER_CONTEXT"] = "remote", ["DOCKER_CERT_PATH"] = null },
        };
        var cli = new DockerCli(options, "/bin/sh", new SecretMasker(), "tcp://10.0.0.5:2376");
        const string script = "echo \"$DOCKER_CONFIG|$DOCKER_HOST|${DOCKER_CONTEXT:-unset}|$DOCKER_CERT_PATH\"";

        var pinned = await cli.RunAsync(["-c", script], "/tmp/private-config", CancellationToken.None);
        var plain = await cli.RunAsync(["-c", script], null, CancellationToken.None);

        Assert.Equal(["/tmp/private-config|tcp://10.0.0.5:2376|unset|/home/u/.docker"], pinned.LastLines);
        Assert.Equal(["/home/u/.docker||remote|"], plain.LastLines);
    }

    private sealed class FixedCredentials(Dictionary<string, RegistryCredential> byRegistry) : ICredentialProvider
    {
        public ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(byRegistry.GetValueOrDefault(registry));
    }
}
