using Dockyard.Credentials.Masking;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Registries.Transport;

namespace Dockyard.Registries.Auth;

/// <summary>
/// Fetches bearer tokens from a registry's token service: OAuth2 POST with an identity (refresh) token, falling back
/// to GET on 404/405; GET with HTTP Basic (+ <c>account</c>) for user/password; anonymous GET without credentials.
/// </summary>
internal sealed class TokenService(HttpClientPool clients, RetryPolicy retry, SecretMasker masker, RegistryClientOptions options)
{
    private const string ClientId = "dockyard";

    /// <summary>Fetches a token for <paramref name="scopes"/> from the service named by <paramref name="challenge"/>.</summary>
    public async Task<BearerToken> FetchAsync(string registry, AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        if (challenge.Realm is not { Length: > 0 } realmText || !Uri.TryCreate(realmText, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
            throw new DockyardException($"Registry {registry} asked for a bearer token but named no usable token service (realm '{challenge.Realm}').");
        if (realm.Scheme == "http" && credential is not null && !AllowsPlainHttp(realm))
            throw new DockyardException($"Registry {registry} sends credentials to the plain-HTTP token service {realm.GetLeftPart(UriPartial.Path)}; refusing. Use HTTPS, or list {realm.Authority} as an insecure registry.");

        if (credential?.IdentityToken is { Length: > 0 } refreshToken)
        {
            var viaPost = await PostAsync(registry, realm, challenge.Service, scopes, refreshToken, credential, cancellationToken);
            if (viaPost is not null) return viaPost;
            return await GetAsync(registry, realm, challenge.Service, scopes, credential.Username ?? "<token>", refreshToken, credential, cancellationToken);
        }
        return await GetAsync(registry, realm, challenge.Service, scopes, credential?.Username, credential?.Password, credential, cancellationToken);
    }

    private bool AllowsPlainHttp(Uri realm) =>
        References.RegistryHost.IsLoopback(realm.Authority) ||
        options.InsecureRegistries.Any(r => string.Equals(References.RegistryHost.Canonicalize(r), realm.Authority, StringComparison.OrdinalIgnoreCase));

    private async Task<BearerToken?> PostAsync(string registry, Uri realm, string? service, IReadOnlyList<string> scopes, string refreshToken, RegistryCredential credential, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", ClientId),
        };
        if (service is not null) form.Add(new("service", service));
        if (scopes.Count > 0) form.Add(new("scope", string.Join(' ', scopes)));
        return await retry.ExecuteAsync($"Token request to {realm.GetLeftPart(UriPartial.Path)} for registry {registry}", async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
            using var response = await SendAsync(request, ct);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed) return null;
            return await ReadTokenAsync(registry, realm, response, credential, ct);
        }, cancellationToken);
    }

    private async Task<BearerToken> GetAsync(string registry, Uri realm, string? service, IReadOnlyList<string> scopes, string? username, string? password, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var query = new StringBuilder();
        void Add(string key, string value) => query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        if (realm.Query.Length > 1) query.Append(realm.Query);
        if (service is not null) Add("service", service);
        foreach (var scope in scopes) Add("scope", scope);
        if (!string.IsNullOrEmpty(username) && password is not null) Add("account", username);
        var uri = new Uri(realm.GetLeftPart(UriPartial.Path) + query);
        return await retry.ExecuteAsync($"Token request to {realm.GetLeftPart(UriPartial.Path)} for registry {registry}", async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (password is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
            using var response = await SendAsync(request, ct);
            return await ReadTokenAsync(registry, realm, response, credential, ct);
        }, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            var response = await clients.For(request.RequestUri!).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            try { await BoundedResponseBody.BufferAsync(response, ResponseLimits.Token, $"Token request to {request.RequestUri!.GetLeftPart(UriPartial.Path)}", timeout.Token); }
            catch { response.Dispose(); throw; }
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var after = RegistryTransport.RetryAfterOf(response, options.Time);
                response.Dispose();
                throw new TransientRegistryException($"token service answered {(int)response.StatusCode}", after);
            }
            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the token service {request.RequestUri!.GetLeftPart(UriPartial.Path)} did not answer within {options.RequestTimeout.TotalSeconds:0} s");
        }
    }

    private async Task<BearerToken> ReadTokenAsync(string registry, Uri realm, HttpResponseMessage response, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var who = credential is null ? "anonymous access" : credential.ToString();
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new DockyardException(masker.Mask(
                $"The token service {realm.GetLeftPart(UriPartial.Path)} of registry {registry} refused {who} (HTTP {(int)response.StatusCode}{RegistryErrorBody.Describe(body)}). Check the credential for {registry}, or run 'dockyard auth explain {registry}'."));
        if (!response.IsSuccessStatusCode)
            throw new DockyardException(masker.Mask(
                $"The token service {realm.GetLeftPart(UriPartial.Path)} of registry {registry} answered HTTP {(int)response.StatusCode}{RegistryErrorBody.Describe(body)}."));
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            string? token = null;
            if (root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String) token = a.GetString();
            if (string.IsNullOrEmpty(token) && root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String) token = t.GetString();
            if (string.IsNullOrEmpty(token))
                throw new DockyardException($"The token service {realm.GetLeftPart(UriPartial.Path)} of registry {registry} answered without a token.");
            masker.Add(token);
            if (root.TryGetProperty("refresh_token", out var r) && r.ValueKind == JsonValueKind.String) masker.Add(r.GetString());
            var lifetime = BearerToken.DefaultLifetime;
            if (root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var seconds))
                lifetime = TimeSpan.FromSeconds(Math.Max(seconds, (int)BearerToken.DefaultLifetime.TotalSeconds));
            var issued = options.Time.GetUtcNow();
            if (root.TryGetProperty("issued_at", out var i) && i.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(i.GetString(), out var at) && at <= issued)
                issued = at;
            return new BearerToken(token, issued + lifetime);
        }
        catch (JsonException ex)
        {
            throw new DockyardException($"The token service {realm.GetLeftPart(UriPartial.Path)} of registry {registry} answered with invalid JSON ({ex.Message}).", ex);
        }
    }
}
