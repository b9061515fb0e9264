namespace Dockyard.Builders.Docker;

/// <summary>Settings of the <see cref="DockerCliBackend"/>.</summary>
public sealed record DockerCliOptions : ToolSettings
{
    /// <summary>The docker CLI (default <c>docker</c> on PATH).</summary>
    public override string Executable { get; init; } = "docker";

    /// <summary>The daemon address the CLI talks to: <c>DOCKER_HOST</c> as the CLI sees it, or docker's default socket.</summary>
    public string DaemonAddress => Variable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";
}
