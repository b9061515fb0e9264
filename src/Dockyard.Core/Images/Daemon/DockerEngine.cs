using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using Dockyard.Diagnostics;

namespace Dockyard.Images.Daemon;

/// <summary>
/// The local Docker daemon through the Docker Engine API, found from <c>DOCKER_HOST</c> (unix or tcp), else
/// <c>unix:///var/run/docker.sock</c>.
/// </summary>
public sealed class DockerEngine : IAsyncDisposable
{
    private readonly HttpClient _http;

    private DockerEngine(string endpoint)
    {
        Endpoint = endpoint;
        var handler = new SocketsHttpHandler();
        Uri baseAddress;
        if (endpoint.StartsWith("unix://", StringComparison.Ordinal))
        {
            var socket = endpoint["unix://".Length..];
            handler.ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://docker/");
        }
        else if (endpoint.StartsWith("tcp://", StringComparison.Ordinal))
        {
            baseAddress = new Uri("http://" + endpoint["tcp://".Length..].TrimEnd('/') + "/");
        }
        else
        {
            throw new DockyardException($"DOCKER_HOST={endpoint}: Dockyard talks to the daemon over unix:// or tcp:// only.");
        }
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The daemon of <paramref name="host"/>'s environment.</summary>
    public static DockerEngine ForHost(Hosting.HostContext host) => new(host.Get("DOCKER_HOST") ?? "unix:///var/run/docker.sock");

    /// <summary>The endpoint, for messages (e.g. <c>unix:///run/docker.sock</c>).</summary>
    public string Endpoint { get; }

    /// <summary>The daemon's version, or null when no daemon answers.</summary>
    public async Task<DockerEngineInfo?> TryPingAsync(CancellationToken ct)
    {
        try
        {
            var version = await _http.GetFromJsonAsync<VersionBody>("version", ct);
            return version is null ? null : new DockerEngineInfo(version.Version ?? "", version.ApiVersion ?? "", version.Os ?? "", version.Arch ?? "");
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or SocketException)
        {
            return null;
        }
    }

    /// <summary>Loads a docker archive (<c>POST /images/load</c>).</summary>
    /// <exception cref="DockyardException">No daemon, or the daemon refused the archive.</exception>
    public async Task LoadAsync(Stream dockerArchiveTar, CancellationToken ct)
    {
        using var content = new StreamContent(dockerArchiveTar);
        content.Headers.ContentType = new("application/x-tar");
        using var response = await SendAsync(() => _http.PostAsync("images/load?quiet=1", content, ct), "load an image");
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
            throw new DockyardException($"The Docker daemon at {Endpoint} refused the image: {body.Trim()}");
    }

    /// <summary>Saves an image as a docker archive (<c>GET /images/{name}/get</c>).</summary>
    /// <exception cref="DockyardException">No daemon, or no such image.</exception>
    public async Task<Stream> SaveAsync(string reference, CancellationToken ct)
    {
        var response = await SendAsync(() => _http.GetAsync($"images/{Uri.EscapeDataString(reference)}/get", HttpCompletionOption.ResponseHeadersRead, ct), $"save {reference}");
        if (!response.IsSuccessStatusCode)
        {
            using (response)
                throw new DockyardException($"The Docker daemon at {Endpoint} has no image {reference} ({(int)response.StatusCode}: {(await response.Content.ReadAsStringAsync(ct)).Trim()}).");
        }
        return await response.Content.ReadAsStreamAsync(ct);
    }

    /// <summary>Whether the daemon has the image.</summary>
    public async Task<bool> ImageExistsAsync(string reference, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.GetAsync($"images/{Uri.EscapeDataString(reference)}/json", ct), $"inspect {reference}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, string what)
    {
        try
        {
            return await send();
        }
        catch (Exception e) when (e is HttpRequestException or SocketException)
        {
            throw new DockyardException($"Cannot {what}: no Docker daemon answers at {Endpoint} ({e.Message}). Start docker or set DOCKER_HOST.", e);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed record VersionBody(
        [property: JsonPropertyName("Version")] string? Version,
        [property: JsonPropertyName("ApiVersion")] string? ApiVersion,
        [property: JsonPropertyName("Os")] string? Os,
        [property: JsonPropertyName("Arch")] string? Arch);
}

/// <summary>What the daemon says about itself.</summary>
/// <param name="ServerVersion">Docker version.</param>
/// <param name="ApiVersion">Engine API version.</param>
/// <param name="OperatingSystem">Daemon OS.</param>
/// <param name="Architecture">Daemon architecture.</param>
public sealed record DockerEngineInfo(string ServerVersion, string ApiVersion, string OperatingSystem, string Architecture);
