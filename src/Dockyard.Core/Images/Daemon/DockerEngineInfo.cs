namespace Dockyard.Images.Daemon;

/// <summary>What the Docker daemon says about itself (<c>GET /version</c>).</summary>
/// <param name="ServerVersion">The engine version, e.g. <c>20.10.24+dfsg1</c>.</param>
/// <param name="ApiVersion">The API version Dockyard talks (the daemon's, capped at the client library's).</param>
/// <param name="OperatingSystem">The daemon's OS, e.g. <c>linux</c>.</param>
/// <param name="Architecture">The daemon's architecture, e.g. <c>amd64</c>.</param>
public sealed record DockerEngineInfo(string ServerVersion, string ApiVersion, string OperatingSystem, string Architecture);
