namespace Dockyard.Images.Daemon;

/// <summary>Where the Docker daemon is and how to talk to it, as <see cref="DockerEndpointDiscovery"/> found it.</summary>
/// <param name="Host">The endpoint, e.g. <c>unix:///var/run/docker.sock</c> or <c>tcp://10.0.0.5:2376</c>.</param>
/// <param name="Source">Where it came from, for messages: <c>DOCKER_HOST</c>, <c>context "NAME" (PATH)</c> or <c>the default</c>.</param>
public sealed record DockerEndpoint(string Host, string Source)
{
    /// <summary>The directory with <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c> when the endpoint uses TLS, else <c>null</c>.</summary>
    public string? TlsDirectory { get; init; }

    /// <summary>Whether the daemon's certificate is verified (against <c>ca.pem</c> when present, else the system's CAs).</summary>
    public bool VerifyServer { get; init; } = true;

    /// <summary>An API version the user pinned with <c>DOCKER_API_VERSION</c>, else <c>null</c> (negotiated).</summary>
    public Version? ApiVersion { get; init; }

    /// <summary>The platform default when nothing is configured.</summary>
    public const string DefaultHost = "unix:///var/run/docker.sock";
}
