using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Diagnostics;
using Dockyard.Hosting;

namespace Dockyard.Images.Daemon;

/// <summary>
/// Finds the Docker daemon as the docker CLI does: <c>DOCKER_HOST</c> (TLS from <c>DOCKER_TLS_VERIFY</c>,
/// <c>DOCKER_TLS</c> and <c>DOCKER_CERT_PATH</c>); else the current context, <c>DOCKER_CONTEXT</c> or
/// <c>currentContext</c> of <c>config.json</c> in <c>DOCKER_CONFIG</c> (default <c>~/.docker</c>), read from
/// <c>contexts/meta/&lt;sha256(name)&gt;/meta.json</c> with its TLS files in <c>contexts/tls/&lt;sha256(name)&gt;/docker/</c>;
/// else (or for the context <c>default</c>) <c>unix:///var/run/docker.sock</c>.
/// </summary>
public static class DockerEndpointDiscovery
{
    /// <summary>The endpoint for <paramref name="host"/>'s environment and files.</summary>
    /// <exception cref="DockyardException">A configured context does not exist or its files are damaged.</exception>
    public static DockerEndpoint Discover(HostContext host)
    {
        var configDirectory = host.Get("DOCKER_CONFIG") is { } configured ? host.FullPath(configured)
            : host.HomeDirectory is { } home ? Path.Combine(home, ".docker") : null;
        var apiVersion = ApiVersion(host.Get("DOCKER_API_VERSION"));

        if (host.Get("DOCKER_HOST") is { } dockerHost)
            return WithEnvironmentTls(new DockerEndpoint(dockerHost, "DOCKER_HOST") { ApiVersion = apiVersion }, host, configDirectory);

        var (context, contextSource) = host.Get("DOCKER_CONTEXT") is { } fromVariable ? (fromVariable, "DOCKER_CONTEXT")
            : configDirectory is not null && CurrentContext(Path.Combine(configDirectory, "config.json")) is { } current ? (current, Path.Combine(configDirectory, "config.json"))
            : ("default", "");
        if (context == "default")
            return WithEnvironmentTls(new DockerEndpoint(DockerEndpoint.DefaultHost, "the default") { ApiVersion = apiVersion }, host, configDirectory);
        if (configDirectory is null)
            throw new DockyardException($"Docker context \"{context}\" (from {contextSource}) cannot be read: there is no home directory; set DOCKER_CONFIG to the docker configuration directory, or DOCKER_HOST.");
        return FromContext(context, contextSource, configDirectory) with { ApiVersion = apiVersion };
    }

    /// <summary>The directory name docker gives a context's files: the sha256 of its name in hex.</summary>
    public static string ContextDirectoryName(string context) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(context)));

    private static DockerEndpoint FromContext(string context, string contextSource, string configDirectory)
    {
        var hash = ContextDirectoryName(context);
        var meta = Path.Combine(configDirectory, "contexts", "meta", hash, "meta.json");
        if (!File.Exists(meta))
            throw new DockyardException($"Docker context \"{context}\" (from {contextSource}) does not exist: no {meta}. Create it with `docker context create`, pick another with `docker context use`, or set DOCKER_HOST.")
            { Subject = context };
        string? endpointHost;
        bool skipVerify;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(meta));
            var docker = document.RootElement.TryGetProperty("Endpoints", out var endpoints) && endpoints.TryGetProperty("docker", out var d) ? d : default;
            endpointHost = docker.ValueKind == JsonValueKind.Object && docker.TryGetProperty("Host", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            skipVerify = docker.ValueKind == JsonValueKind.Object && docker.TryGetProperty("SkipTLSVerify", out var s) && s.ValueKind == JsonValueKind.True;
        }
        catch (JsonException e)
        {
            throw new DockyardException($"Docker context \"{context}\": {meta} is not valid JSON ({e.Message}); recreate the context with `docker context create`.", e);
        }
        if (string.IsNullOrEmpty(endpointHost))
            throw new DockyardException($"Docker context \"{context}\": {meta} has no Endpoints.docker.Host; recreate the context with `docker context create --docker host=…`.");
        var tls = Path.Combine(configDirectory, "contexts", "tls", hash, "docker");
        var hasTls = File.Exists(Path.Combine(tls, "cert.pem")) || File.Exists(Path.Combine(tls, "ca.pem"));
        return new DockerEndpoint(endpointHost, $"context \"{context}\" ({meta})")
        {
            TlsDirectory = hasTls || skipVerify ? tls : null,
            VerifyServer = !skipVerify,
        };
    }

    private static DockerEndpoint WithEnvironmentTls(DockerEndpoint endpoint, HostContext host, string? configDirectory)
    {
        var verify = host.Get("DOCKER_TLS_VERIFY") is not null;
        var tls = verify || host.Get("DOCKER_TLS") is not null;
        if (!tls) return endpoint;
        var certPath = host.Get("DOCKER_CERT_PATH") is { } path ? host.FullPath(path) : configDirectory;
        if (certPath is null)
            throw new DockyardException($"DOCKER_TLS_VERIFY is set for {endpoint.Host} but there is no certificate directory: set DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem.");
        return endpoint with { TlsDirectory = certPath, VerifyServer = verify };
    }

    private static string? CurrentContext(string configFile)
    {
        if (!File.Exists(configFile)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(configFile));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("currentContext", out var current)
                && current.ValueKind == JsonValueKind.String && current.GetString() is { Length: > 0 } name ? name : null;
        }
        catch (JsonException e)
        {
            throw new DockyardException($"{configFile} is not valid JSON ({e.Message}); fix it, or set DOCKER_HOST to choose the Docker daemon.", e);
        }
    }

    private static Version? ApiVersion(string? text)
    {
        if (text is null) return null;
        return Version.TryParse(text, out var version) && version.Build < 0
            ? version
            : throw new DockyardException($"DOCKER_API_VERSION '{text}' is not an API version such as 1.41; unset it to negotiate the version with the daemon.");
    }
}
