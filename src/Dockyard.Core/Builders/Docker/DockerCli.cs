using Dockyard.Processes;
using Dockyard.Credentials.Masking;

namespace Dockyard.Builders.Docker;

/// <summary>
/// Runs the docker CLI with the backend's settings and a masker. Runs with a temporary configuration directory are
/// pinned to <paramref name="daemonAddress"/> (the user's context lives in the user's config, which they do not see)
/// and keep reading TLS client certificates from the user's directory (<c>DOCKER_CERT_PATH</c> defaults to the config directory).
/// </summary>
internal sealed class DockerCli(DockerCliOptions options, string executable, SecretMasker masker, string? daemonAddress = null)
{
    /// <summary>The settings.</summary>
    public DockerCliOptions Options => options;

    /// <summary>Runs <c>docker ARGS</c>; <paramref name="configDirectory"/> becomes <c>DOCKER_CONFIG</c> when given.</summary>
    public Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, string? configDirectory, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null, string? standardInput = null, TimeSpan? timeout = null, bool log = true)
    {
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
        if (configDirectory is not null)
        {
            variables["DOCKER_CONFIG"] = configDirectory;
            variables["DOCKER_CONTEXT"] = null;
            if (daemonAddress is not null) variables["DOCKER_HOST"] = daemonAddress;
            if (string.IsNullOrEmpty(options.Variable("DOCKER_CERT_PATH"))) variables["DOCKER_CERT_PATH"] = options.UserConfigDirectory;
        }
        return options.RunAsync(executable, masker, arguments, cancellationToken, variables, standardInput, timeout, log);
    }
}
