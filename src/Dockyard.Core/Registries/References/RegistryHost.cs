using System.Net;

namespace Dockyard.Registries.References;

/// <summary>Docker's canonical names for registry hosts.</summary>
public static class RegistryHost
{
    /// <summary>The canonical name of Docker Hub in references and credential look-ups.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The host that serves Docker Hub's registry API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>
    /// The canonical form of a registry host as written by a user: lower-case, <c>index.docker.io</c> and
    /// <c>registry-1.docker.io</c> become <c>docker.io</c>, a scheme, user info (<c>user:password@</c>, never shown)
    /// and trailing path are dropped.
    /// </summary>
    public static string Canonicalize(string host)
    {
        var h = host.Trim();
        var scheme = h.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) h = h[(scheme + 3)..];
        var slash = h.IndexOf('/');
        if (slash >= 0) h = h[..slash];
        var at = h.LastIndexOf('@');
        if (at >= 0) h = h[(at + 1)..];
        h = h.ToLowerInvariant();
        return IsDockerHubAlias(h) ? DockerHub : h;
    }

    /// <summary>Whether <paramref name="host"/> (as written, no scheme or path) is one of Docker Hub's host names.</summary>
    public static bool IsDockerHubAlias(string host) =>
        host is DockerHub or "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com";

    /// <summary>The <c>host[:port]</c> that answers the registry API for a canonical registry name.</summary>
    public static string ApiHost(string registry) => Canonicalize(registry) == DockerHub ? DockerHubApiHost : Canonicalize(registry);

    /// <summary>Whether the registry is on this machine (<c>localhost</c>, 127.0.0.0/8 or <c>::1</c>), where plain HTTP is allowed.</summary>
    public static bool IsLoopback(string registry)
    {
        var host = HostWithoutPort(Canonicalize(registry));
        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>The host part of <c>host[:port]</c> (IPv6 addresses keep their brackets).</summary>
    public static string HostWithoutPort(string hostAndPort)
    {
        if (hostAndPort.StartsWith('['))
        {
            var end = hostAndPort.IndexOf(']');
            return end < 0 ? hostAndPort : hostAndPort[..(end + 1)];
        }
        var colon = hostAndPort.LastIndexOf(':');
        return colon < 0 ? hostAndPort : hostAndPort[..colon];
    }
}
