using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.Models;
using Docker.DotNet.X509;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Version = System.Version;

namespace Dockyard.Images.Daemon;

/// <summary>
/// The local Docker daemon through the Docker Engine API (Docker.DotNet.Enhanced), found as the docker CLI finds it
/// (<see cref="DockerEndpointDiscovery"/>). The API version is negotiated like the CLI does: the daemon's own
/// (<c>GET /version</c>), capped at the library's, unless <c>DOCKER_API_VERSION</c> pins one; Debian's dockerd 20.10
/// speaks 1.41. Every failure is a <see cref="DockyardException"/> naming the endpoint and what to do.
/// </summary>
public sealed class DockerEngine : IAsyncDisposable
{
    /// <summary>The newest API version the client library is generated against.</summary>
    public static readonly Version MaxApiVersion = new(1, 54);

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(20);

    private readonly DockerEndpoint _endpoint;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private DockerClient? _client;
    private DockerEngineInfo? _info;

    private DockerEngine(DockerEndpoint endpoint) => _endpoint = endpoint;

    /// <summary>The daemon <paramref name="host"/>'s environment and docker configuration point to.</summary>
    /// <exception cref="DockyardException">A configured context does not exist or is damaged.</exception>
    public static DockerEngine ForHost(HostContext host) => new(DockerEndpointDiscovery.Discover(host));

    /// <summary>The daemon at an endpoint already discovered or given explicitly.</summary>
    public static DockerEngine ForEndpoint(DockerEndpoint endpoint) => new(endpoint);

    /// <summary>The endpoint, e.g. <c>unix:///run/docker.sock</c> (for messages).</summary>
    public string Endpoint => _endpoint.Host;

    /// <summary>The endpoint with where it came from and its TLS settings.</summary>
    public DockerEndpoint Discovered => _endpoint;

    /// <summary>Asks the daemon for its version; <c>null</c> when no daemon answers at <see cref="Endpoint"/>.</summary>
    /// <exception cref="DockyardException">The endpoint or its TLS files are unusable (not a missing daemon).</exception>
    public async Task<DockerEngineInfo?> TryPingAsync(CancellationToken ct)
    {
        var (client, _) = await ConnectAsync(ct);
        return client is null ? null : _info;
    }

    /// <summary>Loads a docker archive (<c>docker save</c> format) into the daemon (<c>POST /images/load</c>).</summary>
    /// <exception cref="DockyardException">The daemon is unreachable or rejects the archive.</exception>
    public async Task LoadAsync(Stream dockerArchiveTar, CancellationToken ct)
    {
        var client = await ClientAsync(ct);
        var messages = new MessageCollector();
        await CallAsync("load the image archive", () => client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = false }, dockerArchiveTar, messages, ct));
        if (messages.Error is { } error)
            throw new DockyardException($"The Docker daemon at {Endpoint} could not load the image archive: {error}. Check that it is a docker archive (docker save format).");
    }

    /// <summary>Exports an image as a docker archive (<c>GET /images/get</c>); the caller disposes the stream.</summary>
    /// <exception cref="DockyardException">The daemon is unreachable or has no such image.</exception>
    public async Task<Stream> SaveAsync(string reference, CancellationToken ct)
    {
        var client = await ClientAsync(ct);
        try
        {
            return new DaemonResponseStream(await CallAsync($"export {reference}", () => client.Images.SaveImageAsync(reference, ct)));
        }
        catch (DockyardException e) when (e.InnerException is DockerImageNotFoundException)
        {
            throw new DockyardException($"The Docker daemon at {Endpoint} has no image {reference}; `docker image ls` lists what it has (load or build it first).", e) { Subject = reference };
        }
    }

    /// <summary>Whether the daemon has an image by that name or ID.</summary>
    /// <exception cref="DockyardException">The daemon is unreachable.</exception>
    public async Task<bool> ImageExistsAsync(string reference, CancellationToken ct)
    {
        var client = await ClientAsync(ct);
        try
        {
            await CallAsync($"inspect {reference}", () => client.Images.InspectImageAsync(reference, ct));
            return true;
        }
        catch (DockyardException e) when (e.InnerException is DockerImageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _negotiation.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The negotiated client, for the job engine's docker executor (containers, pulls).</summary>
    internal Task<DockerClient> JobClientAsync(CancellationToken ct) => ClientAsync(ct);

    private async Task<DockerClient> ClientAsync(CancellationToken ct)
    {
        var (client, unreachable) = await ConnectAsync(ct);
        return client ?? throw unreachable!;
    }

    /// <summary>The negotiated client, or why no daemon answered; other failures (bad endpoint, TLS files) throw.</summary>
    private async Task<(DockerClient? Client, DockyardException? Unreachable)> ConnectAsync(CancellationToken ct)
    {
        if (_client is not null) return (_client, null);
        await _negotiation.WaitAsync(ct);
        try
        {
            if (_client is not null) return (_client, null);
            VersionResponse version;
            using (var unversioned = Build(null))
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(PingTimeout);
                try
                {
                    version = await unversioned.System.GetVersionAsync(timeout.Token);
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    return (null, new DockyardException(Unreachable($"no answer within {PingTimeout.TotalSeconds:0} s"), e));
                }
                catch (Exception e) when (IsConnectionFailure(e))
                {
                    return (null, new DockyardException(Unreachable(Innermost(e).Message), e));
                }
                catch (DockerApiException e)
                {
                    throw new DockyardException($"The Docker daemon at {Endpoint} ({_endpoint.Source}) answered GET /version with {(int)e.StatusCode} {e.StatusCode}: {e.ResponseBody?.Trim()}. Check that the endpoint is a Docker daemon.", e);
                }
            }
            var apiVersion = _endpoint.ApiVersion ?? Negotiate(version.APIVersion);
            _info = new DockerEngineInfo(version.Version ?? "", apiVersion.ToString(), version.Os ?? "", version.Arch ?? "");
            _client = Build(apiVersion);
            return (_client, null);
        }
        finally
        {
            _negotiation.Release();
        }
    }

    private static Version Negotiate(string? serverVersion) =>
        Version.TryParse(serverVersion, out var server) && server < MaxApiVersion ? server : MaxApiVersion;

    private DockerClient Build(Version? apiVersion)
    {
        Uri uri;
        try
        {
            uri = new Uri(_endpoint.Host);
        }
        catch (UriFormatException e)
        {
            throw new DockyardException($"Docker endpoint '{_endpoint.Host}' ({_endpoint.Source}) is not a URL such as unix:///var/run/docker.sock or tcp://host:2376; fix it.", e);
        }
        if (uri.Scheme is "ssh")
            throw new DockyardException($"Docker endpoint {_endpoint.Host} ({_endpoint.Source}) uses ssh://, which Dockyard does not speak; forward the socket (ssh -L /tmp/docker.sock:/var/run/docker.sock HOST) and set DOCKER_HOST=unix:///tmp/docker.sock.");
        if (uri.Scheme is not ("unix" or "tcp" or "http" or "https" or "npipe"))
            throw new DockyardException($"Docker endpoint {_endpoint.Host} ({_endpoint.Source}) has the unsupported scheme '{uri.Scheme}'; use unix://, tcp:// or npipe://.");
        var builder = new DockerClientBuilder().WithEndpoint(uri).WithApiVersion(apiVersion).WithTimeout(TimeSpan.FromMinutes(5));
        if (_endpoint.TlsDirectory is { } tls && uri.Scheme is "tcp" or "https") builder = builder.WithAuthProvider(TlsCredentials(tls));
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or DockerConfigurationException)
        {
            throw new DockyardException($"Docker endpoint {_endpoint.Host} ({_endpoint.Source}) cannot be used: {e.Message}", e);
        }
    }

    private IAuthProvider TlsCredentials(string directory)
    {
        if (!File.Exists(Path.Combine(directory, "cert.pem")) || !File.Exists(Path.Combine(directory, "key.pem")))
            throw new DockyardException($"Docker endpoint {_endpoint.Host} ({_endpoint.Source}) uses TLS but {directory} has no cert.pem and key.pem; Dockyard needs the client certificate docker uses (DOCKER_CERT_PATH).");
        try
        {
            var certificates = DockerTlsCertificates.LoadFromDirectory(directory, loadCertificateAuthority: _endpoint.VerifyServer);
            var credentials = certificates.CreateCredentials();
            if (!_endpoint.VerifyServer && credentials is CertificateCredentials certificateCredentials)
                certificateCredentials.ServerCertificateValidationCallback = (_, _, _, _) => true;
            return credentials;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            throw new DockyardException($"Docker endpoint {_endpoint.Host} ({_endpoint.Source}): the TLS files in {directory} cannot be read ({e.Message}); recreate them or fix DOCKER_CERT_PATH.", e);
        }
    }

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (DockerImageNotFoundException e)
        {
            throw new DockyardException($"The Docker daemon at {Endpoint} could not {what}: no such image.", e);
        }
        catch (DockerApiException e)
        {
            throw new DockyardException($"The Docker daemon at {Endpoint} could not {what}: {(int)e.StatusCode} {ErrorText(e.ResponseBody)}", e);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            throw new DockyardException(Unreachable(Innermost(e).Message), e);
        }
    }

    private async Task CallAsync(string what, Func<Task> call) => await CallAsync<bool>(what, async () => { await call(); return true; });

    private string Unreachable(string reason) =>
        $"Cannot reach the Docker daemon at {Endpoint} ({_endpoint.Source}): {reason}. Start the daemon, or set DOCKER_HOST (or `docker context use`) to one that runs.";

    private static bool IsConnectionFailure(Exception e) =>
        e is HttpRequestException or SocketException or IOException or TimeoutException
        || e.InnerException is { } inner && IsConnectionFailure(inner);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private static string ErrorText(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "(no message)";
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text) return text;
        }
        catch (System.Text.Json.JsonException)
        {
            // not JSON: show it as it is
        }
        return body.Trim();
    }

    /// <summary>Collects the daemon's progress messages synchronously and keeps the first error.</summary>
    private sealed class MessageCollector : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (Error is null && value.Error?.Message is { Length: > 0 } message) Error = message;
        }
    }
}
