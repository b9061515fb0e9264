using System.Collections.Concurrent;
using Dockyard.Diagnostics;
using Dockyard.Registries.References;

namespace Dockyard.Registries.Transport;

/// <summary>
/// Decides the base URL (<c>https://host/</c> or <c>http://host/</c>) of each registry. HTTPS with a verified
/// certificate is the default; a loopback registry or one the user lists as insecure is probed over HTTPS first and
/// falls back to plain HTTP when HTTPS does not answer.
/// </summary>
internal sealed class RegistryEndpoints(HttpClientPool clients, RegistryClientOptions options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Uri>>> _bases = new(StringComparer.Ordinal);

    /// <summary>Whether plain HTTP is allowed for <paramref name="authority"/> (<c>host[:port]</c>).</summary>
    public bool AllowsPlainHttp(string authority) =>
        RegistryHost.IsLoopback(authority) || IsListedInsecure(authority);

    private bool IsListedInsecure(string authority) =>
        options.InsecureRegistries.Any(r => string.Equals(RegistryHost.Canonicalize(r), RegistryHost.Canonicalize(authority), StringComparison.Ordinal));

    /// <summary>The base URL for the registry's API host.</summary>
    public async Task<Uri> ResolveAsync(string registry, CancellationToken cancellationToken)
    {
        var probe = _bases.GetOrAdd(registry, r => new Lazy<Task<Uri>>(() => ProbeAsync(r, cancellationToken)));
        try
        {
            return await probe.Value;
        }
        catch
        {
            _bases.TryRemove(new KeyValuePair<string, Lazy<Task<Uri>>>(registry, probe)); // probe again next time
            throw;
        }
    }

    private async Task<Uri> ProbeAsync(string registry, CancellationToken cancellationToken)
    {
        var apiHost = RegistryHost.ApiHost(registry);
        var https = new Uri($"https://{apiHost}/");
        if (!AllowsPlainHttp(registry)) return https;
        var httpsError = await TryPingAsync(https, cancellationToken);
        if (httpsError is null) return https;
        if (clients.RejectedCertificate(apiHost) is { } why)
            throw new DockyardException($"Registry {registry} serves HTTPS with a certificate Dockyard does not trust ({why}). Put its CA in certs.d/{apiHost}/ca.crt (under {string.Join(" or ", options.CertificateDirectories.DefaultIfEmpty("a --cert-dir directory"))}), or list it with --insecure-registry if it is a test registry.", httpsError);
        var http = new Uri($"http://{apiHost}/");
        var httpError = await TryPingAsync(http, cancellationToken);
        if (httpError is null) return http;
        var tlsHint = httpError is HttpsOnlyPortException || httpsError.InnerException is System.Security.Authentication.AuthenticationException
            ? $" The port speaks TLS but the connection failed: if the registry demands a client certificate, put client.cert and client.key in certs.d/{apiHost}/."
            : "";
        throw new DockyardException($"Registry {registry} does not answer on https://{apiHost}/v2/ ({httpsError.Message}) nor on http://{apiHost}/v2/ ({httpError.Message}). Check the host and port and that the registry runs.{tlsHint}", httpsError);
    }

    private async Task<Exception?> TryPingAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v2/"));
            using var response = await clients.For(baseUri).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // A registry answers /v2/ with 200 or 401; 400 is what an HTTPS server says to plain HTTP.
            return response.StatusCode == System.Net.HttpStatusCode.BadRequest
                ? new HttpsOnlyPortException()
                : null;
        }
        catch (HttpRequestException e)
        {
            return e;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new TimeoutException("no answer within 30 s", e);
        }
    }

    private sealed class HttpsOnlyPortException() : HttpRequestException("answered 400 Bad Request: not a plain-HTTP registry");
}
