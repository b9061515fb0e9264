using Dockyard.Credentials.Masking;
using System.Net;
using System.Net.Http.Headers;
using Dockyard.Diagnostics;
using Dockyard.Registries.Auth;
using Dockyard.Registries.Transfer;

namespace Dockyard.Registries.Transport;

/// <summary>
/// Sends registry API calls: picks the base URL, adds <c>Authorization</c> (re-authenticating once after a 401),
/// follows redirects itself so that <c>Authorization</c> never reaches another host, applies a timeout that scales
/// with the bytes moved, and turns 5xx/429/timeouts into retryable failures.
/// </summary>
internal sealed class RegistryTransport(
    HttpClientPool clients, RegistryEndpoints endpoints, RegistryAuthenticator authenticator, RetryPolicy retry, SecretMasker masker, RegistryClientOptions options)
{
    private const int MaxRedirects = 10;

    /// <summary>Sends with retries; the caller owns (and disposes) the response, whatever its status.</summary>
    public Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(request.What, ct => new ValueTask<HttpResponseMessage>(SendOnceAsync(request, ct)), cancellationToken);

    /// <summary>
    /// Sends once (no retry: the caller retries a larger unit such as a whole blob upload). Transient answers throw
    /// <see cref="TransientRegistryException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendOnceAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        var baseUri = await endpoints.ResolveAsync(request.Registry, cancellationToken);
        var uri = request.Uri ?? new Uri(baseUri, request.Path);
        var authorization = await authenticator.AuthorizeAsync(request.Registry, request.Scopes, cancellationToken);
        var response = await SendWithTimeoutAsync(request, uri, baseUri, authorization, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var challenges = AuthChallenge.Parse(response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? values : []);
            var next = await authenticator.ReauthorizeAsync(request.Registry, challenges, request.Scopes, authorization, cancellationToken);
            if (next is not null)
            {
                if (authorization is not null)
                    options.Progress?.Report(new TransferProgress(TransferEventKind.Reauthenticated, request.Registry, null, 0, 0,
                        $"registry rejected the token ({challenges.FirstOrDefault()?.Error ?? "unauthorized"}); fetched a new one"));
                response.Dispose();
                response = await SendWithTimeoutAsync(request, uri, baseUri, next, cancellationToken);
            }
        }
        var status = (int)response.StatusCode;
        if (status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout)
        {
            var after = RetryAfterOf(response, options.Time);
            var body = await SafeReadAsync(response, cancellationToken);
            response.Dispose();
            throw new TransientRegistryException(masker.Mask($"registry {request.Registry} answered HTTP {status}{RegistryErrorBody.Describe(body)}"), after);
        }
        return response;
    }

    private async Task<HttpResponseMessage> SendWithTimeoutAsync(RegistryRequest request, Uri uri, Uri registryBase, RequestAuthorization? authorization, CancellationToken cancellationToken)
    {
        var timeoutSpan = options.TimeoutFor(request.TransferBytes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeoutSpan);
        try
        {
            return await SendFollowingRedirectsAsync(request, uri, registryBase, authorization, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"registry {request.Registry} did not answer within {timeoutSpan.TotalSeconds:0} s");
        }
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(RegistryRequest request, Uri uri, Uri registryBase, RequestAuthorization? authorization, CancellationToken cancellationToken)
    {
        var method = request.Method;
        var content = request.Content;
        for (var hop = 0; ; hop++)
        {
            using var message = new HttpRequestMessage(method, uri);
            foreach (var type in request.Accept) message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            if (content is not null) message.Content = content();
            // Authorization goes to the registry's own scheme+authority only (never to blob storage elsewhere).
            if (authorization is not null && SameOrigin(uri, registryBase)) message.Headers.Authorization = authorization.Header;
            // Headers first, always: a body is then read within its limit (or streamed), never buffered whole by HttpClient.
            var response = await clients.For(uri).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is null)
            {
                if (request.StreamResponse && response.IsSuccessStatusCode || method == HttpMethod.Head) return response;
                try { await BoundedResponseBody.BufferAsync(response, request.MaxResponseBytes, $"{request.What} (registry {request.Registry})", cancellationToken); }
                catch { response.Dispose(); throw; }
                return response;
            }
            if (hop >= MaxRedirects)
            {
                response.Dispose();
                throw new DockyardException($"{request.What}: registry {request.Registry} redirected more than {MaxRedirects} times.");
            }
            var next = new Uri(uri, response.Headers.Location);
            response.Dispose();
            if (next.Scheme == "http" && uri.Scheme == "https" && !endpoints.AllowsPlainHttp(next.Authority))
                throw new DockyardException($"{request.What}: registry {request.Registry} redirected from HTTPS to plain HTTP ({next.Authority}); refusing.");
            if (next.Scheme is not ("http" or "https"))
                throw new DockyardException($"{request.What}: registry {request.Registry} redirected to an unsupported URL scheme '{next.Scheme}'.");
            if (response.StatusCode == HttpStatusCode.SeeOther ||
                (response.StatusCode is HttpStatusCode.Moved or HttpStatusCode.Found && method == HttpMethod.Post))
            {
                method = HttpMethod.Get;
                content = null;
            }
            uri = next;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>The delay a <c>Retry-After</c> header asks for, if any.</summary>
    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) { var wait = date - time.GetUtcNow(); return wait > TimeSpan.Zero ? wait : TimeSpan.Zero; }
        return null;
    }

    /// <summary>
    /// Throws the <see cref="DockyardException"/> for an unexpected answer: names what was done, the registry, the
    /// registry's error codes and what to do (credentials for 401/403, the name for 404).
    /// </summary>
    public async Task<DockyardException> FailureAsync(RegistryRequest request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await SafeReadAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        var detail = RegistryErrorBody.Describe(body);
        var hint = "";
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var access = TokenScope.AccessOf(request.Scopes);
            var credential = await authenticator.CredentialAsync(request.Registry, access, cancellationToken);
            var challenge = AuthChallenge.Parse(response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var v) ? v : []).FirstOrDefault();
            var used = credential is null
                ? $"no credential was found for {(access == Credentials.RegistryAccess.Push ? "pushing to" : "pulling from")} {request.Registry}"
                : $"Dockyard used {credential}";
            hint = challenge?.IsInsufficientScope == true
                ? $" The token lacks the access needed ({string.Join(" ", challenge.Scopes.DefaultIfEmpty(string.Join(" ", request.Scopes)))}); {used}. Use a credential allowed to do this (push needs write access to the repository)."
                : $" {used}; check it, or run 'dockyard auth explain {request.Registry}{(access == Credentials.RegistryAccess.Push ? " --push" : "")}'.";
        }
        else if (response.StatusCode == HttpStatusCode.NotFound)
            hint = " Check the repository name and the tag or digest.";
        return new DockyardException(masker.Mask($"{request.What}: registry {request.Registry} answered HTTP {status} {response.ReasonPhrase}{detail}.{hint}"));
    }

    private static async Task<string> SafeReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await BoundedResponseBody.BufferStartAsync(response, cancellationToken);
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException) { return ""; }
    }
}
