using System.Collections.Concurrent;
using System.Net;

namespace Dockyard.Registries.Transport;

/// <summary>
/// One <see cref="HttpClient"/> per <c>scheme://host:port</c>, with the registry's extra CAs, no automatic redirects
/// (redirects are followed by <see cref="RegistryTransport"/>, which decides where <c>Authorization</c> may go) and no
/// client-wide timeout (each request gets one that scales with its size).
/// </summary>
internal sealed class HttpClientPool(RegistryClientOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly CertificateAuthorities _authorities = new(options.CertificateDirectories);
    private readonly ConcurrentDictionary<string, string> _rejected = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why the last certificate of <paramref name="authority"/> (<c>host[:port]</c>) was rejected, or <c>null</c> if none was.</summary>
    public string? RejectedCertificate(string authority) => _rejected.GetValueOrDefault(authority);

    /// <summary>The client for <paramref name="uri"/>'s scheme and authority.</summary>
    public HttpClient For(Uri uri) => _clients.GetOrAdd($"{uri.Scheme}://{uri.Authority}", _ => Create(uri));

    private HttpClient Create(Uri uri)
    {
        var authority = uri.IsDefaultPort ? uri.Host : uri.Authority;
        var skipVerification = options.InsecureRegistries.Any(r => string.Equals(References.RegistryHost.Canonicalize(r), authority, StringComparison.OrdinalIgnoreCase));
        var roots = _authorities.For(authority);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            var accepted = skipVerification || CertificateAuthorities.Validate(certificate, errors, roots);
            if (!accepted) _rejected[authority] = errors.ToString();
            return accepted;
        };
        var clientCertificates = _authorities.ClientCertificatesFor(authority);
        if (clientCertificates.Count > 0) handler.SslOptions.ClientCertificates = clientCertificates;
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        return client;
    }

    /// <summary>Disposes every client.</summary>
    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
    }
}
