using Dockyard.Credentials.Masking;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Credentials;
using Dockyard.Registries.Transport;

namespace Dockyard.Registries.Auth;

/// <summary>The <c>Authorization</c> header sent with one request, and the token it came from (to drop it when rejected).</summary>
internal sealed record RequestAuthorization(AuthenticationHeaderValue Header, string? CacheKey, BearerToken? Token);

/// <summary>
/// Decides the <c>Authorization</c> header per registry and scope set: remembers each registry's challenge (learnt
/// from its first 401), asks the <see cref="ICredentialProvider"/> once per registry and direction (push when the
/// request's scopes include push, else pull: a push credential never reaches a pull), caches bearer tokens per
/// (realm, service, scopes), and after a 401 fetches a fresh token once (tokens without <c>expires_in</c>, like
/// GitLab's, can expire mid-push).
/// </summary>
internal sealed class RegistryAuthenticator(ICredentialProvider credentials, TokenService tokens, TokenCache cache, SecretMasker masker)
{
    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Registry, RegistryAccess Access), Lazy<Task<RegistryCredential?>>> _credentials = new();

    /// <summary>The credential used for <paramref name="registry"/> when accessing it for <paramref name="access"/>, asked once.</summary>
    public Task<RegistryCredential?> CredentialAsync(string registry, RegistryAccess access, CancellationToken cancellationToken) =>
        _credentials.GetOrAdd((registry, access), key => new Lazy<Task<RegistryCredential?>>(async () =>
        {
            var credential = await credentials.GetAsync(key.Registry, key.Access, cancellationToken);
            if (credential is not null) masker.Add(credential);
            return credential;
        })).Value;

    /// <summary>The header for a request before any answer: from the registry's known challenge, or none yet.</summary>
    public async Task<RequestAuthorization?> AuthorizeAsync(string registry, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(registry, out var challenge)) return null;
        return await FromChallengeAsync(registry, challenge, scopes, previous: null, cancellationToken);
    }

    /// <summary>
    /// The header to retry with after a 401 carrying <paramref name="challenges"/>, or <c>null</c> when nothing
    /// better can be tried (no usable challenge, or Basic credentials already rejected).
    /// </summary>
    public async Task<RequestAuthorization?> ReauthorizeAsync(string registry, IReadOnlyList<AuthChallenge> challenges, IReadOnlyList<string> scopes, RequestAuthorization? previous, CancellationToken cancellationToken)
    {
        var challenge = challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
        if (challenge is null) return null;
        _challenges[registry] = challenge;
        if (previous?.CacheKey is { } key && previous.Token is { } rejected) cache.Invalidate(key, rejected);
        if (previous is not null && challenge.IsBasic) return null;
        var allScopes = TokenScope.Normalize(scopes.Concat(challenge.Scopes));
        return await FromChallengeAsync(registry, challenge, allScopes, previous, cancellationToken);
    }

    private async Task<RequestAuthorization?> FromChallengeAsync(string registry, AuthChallenge challenge, IReadOnlyList<string> scopes, RequestAuthorization? previous, CancellationToken cancellationToken)
    {
        var credential = await CredentialAsync(registry, TokenScope.AccessOf(scopes), cancellationToken);
        if (challenge.IsBasic)
        {
            if (credential?.Password is null) return null;
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}"));
            return new RequestAuthorization(new AuthenticationHeaderValue("Basic", basic), null, null);
        }
        if (!challenge.IsBearer) return null;
        if (credential?.RegistryToken is { Length: > 0 } registryToken)
            return previous is null ? new RequestAuthorization(BearerToken.Header(registryToken, $"{credential.Source} for {registry}"), null, null) : null;

        var normalized = TokenScope.Normalize(scopes);
        var key = TokenCache.Key(challenge.Realm ?? "", challenge.Service, normalized);
        var token = previous is null ? cache.TryGet(key) : null;
        if (token is null)
        {
            token = await tokens.FetchAsync(registry, challenge, normalized, credential, cancellationToken);
            cache.Set(key, token);
        }
        return new RequestAuthorization(BearerToken.Header(token.Value, $"the token service {challenge.Realm} of {registry}"), key, token);
    }
}
