using System.Text.Json;
using Dockyard.Builders;
using Dockyard.Builders.Docker;
using Dockyard.Credentials;
using Dockyard.Credentials.Masking;

namespace Dockyard.Tests.Builders.Backends;

/// <summary>The temporary docker config and the docker CLI's pinned environment (with /bin/sh standing in for docker).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TemporaryDockerConfigTests
{
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
        using (var config = await TemporaryDockerConfig.CreateAsync(docker, [("registry.example.com", RegistryAccess.Push), ("docker.io", RegistryAccess.Pull), ("anonymous.example.com", RegistryAccess.Pull)], credentials, masker, CancellationToken.None))
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
        public ValueTask<RegistryCredential?> GetAsync(string registry, RegistryAccess access, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(byRegistry.GetValueOrDefault(registry));
    }
}
