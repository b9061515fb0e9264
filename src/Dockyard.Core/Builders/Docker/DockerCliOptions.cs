namespace Dockyard.Builders.Docker;

/// <summary>Settings of the <see cref="DockerCliBackend"/>.</summary>
public sealed record DockerCliOptions : ToolSettings
{
    /// <summary>The docker CLI (default <c>docker</c> on PATH).</summary>
    public override string Executable { get; init; } = "docker";

    /// <summary>Docker's own socket, used when neither <c>DOCKER_HOST</c> nor the current context names another.</summary>
    internal const string DefaultDaemonAddress = "unix:///var/run/docker.sock";

    /// <summary>The user's docker configuration directory: <c>DOCKER_CONFIG</c>, else <c>$HOME/.docker</c>.</summary>
    internal string UserConfigDirectory =>
        Variable("DOCKER_CONFIG") is { Length: > 0 } config
            ? config
            : Path.Combine(Variable("HOME") ?? "/", ".docker");
}
