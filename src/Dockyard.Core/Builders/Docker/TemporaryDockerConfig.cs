using System.Text.Json.Nodes;
using Dockyard.Processes;
using Dockyard.Credentials;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;

namespace Dockyard.Builders.Docker;

/// <summary>
/// A private <c>DOCKER_CONFIG</c> directory for one build: every registry of the build is logged in with
/// <c>docker login --password-stdin</c> (token credentials are written as docker writes them), so nothing reaches the
/// user's <c>~/.docker/config.json</c> or keyring. Deleted on dispose.
/// </summary>
/// <remarks>
/// The file is seeded with an (empty) <c>auths</c> entry per registry before logging in: docker only falls back to a
/// platform credential store (<c>pass</c>, <c>secretservice</c>) when the config holds no auth at all, and that store
/// would outlive the directory.
/// </remarks>
internal sealed class TemporaryDockerConfig : IDisposable
{
    private readonly PrivateDirectory _directory;

    private TemporaryDockerConfig(PrivateDirectory directory) => _directory = directory;

    /// <summary>The directory to pass as <c>DOCKER_CONFIG</c>.</summary>
    public string Path => _directory.Path;

    /// <summary>Creates the directory and logs in to every registry that has a credential.</summary>
    public static async Task<TemporaryDockerConfig> CreateAsync(DockerCli docker, IReadOnlyList<(string Registry, RegistryAccess Access)> registries, ICredentialProvider credentials,
        SecretMasker masker, CancellationToken cancellationToken)
    {
        var config = new TemporaryDockerConfig(PrivateDirectory.Create("docker-config"));
        try
        {
            var entries = await RegistryAuthEntries.LookUpAsync(registries, credentials, masker, RegistryName.ConfigKeyFor, cancellationToken);
            var auths = new JsonObject();
            foreach (var (_, key, credential) in entries)
            {
                auths[key] = credential is null || credential.Password is not null ? new JsonObject() : RegistryAuthEntries.Entry(credential);
            }
            config._directory.WriteSecretFile("config.json", new JsonObject { ["auths"] = auths }.ToJsonString());

            foreach (var (registry, key, credential) in entries)
            {
                if (credential?.Password is null) continue;
                var result = await docker.RunAsync(["login", "--username", credential.Username ?? "", "--password-stdin", key], config.Path, cancellationToken,
                    standardInput: credential.Password + "\n", timeout: TimeSpan.FromMinutes(2));
                if (!result.Succeeded)
                    throw new DockyardException(
                        $"docker login to {registry} failed (exit {result.ExitCode}) with {credential}:\n{result.Tail()}\n" +
                        "Check the credential for this registry (dockyard auth explain shows where it comes from) and that the daemon can reach the registry.");
            }
            return config;
        }
        catch
        {
            config.Dispose();
            throw;
        }
    }

    /// <summary>Deletes the directory and the credentials in it.</summary>
    public void Dispose() => _directory.Dispose();
}
