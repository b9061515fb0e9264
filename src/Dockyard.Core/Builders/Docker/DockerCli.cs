using Dockyard.Builders.Processes;
using Dockyard.Credentials.Masking;

namespace Dockyard.Builders.Docker;

/// <summary>Runs the docker CLI with the backend's settings, a configuration directory and a masker.</summary>
internal sealed class DockerCli(DockerCliOptions options, string executable, SecretMasker masker)
{
    /// <summary>The settings.</summary>
    public DockerCliOptions Options => options;

    /// <summary>Runs <c>docker ARGS</c>; <paramref name="configDirectory"/> becomes <c>DOCKER_CONFIG</c> when given.</summary>
    public Task<ToolResult> RunAsync(IReadOnlyList<string> arguments, string? configDirectory, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null, string? standardInput = null, TimeSpan? timeout = null, bool log = true)
    {
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
        if (configDirectory is not null) variables["DOCKER_CONFIG"] = configDirectory;
        return options.RunAsync(executable, masker, arguments, cancellationToken, variables, standardInput, timeout, log);
    }
}
