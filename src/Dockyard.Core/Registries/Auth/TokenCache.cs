using System.Collections.Concurrent;

namespace Dockyard.Registries.Auth;

/// <summary>Bearer tokens cached per (realm, service, sorted scope set), dropped at expiry or when a registry rejects them.</summary>
internal sealed class TokenCache(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, BearerToken> _tokens = new(StringComparer.Ordinal);

    /// <summary>The cache key of a token request.</summary>
    public static string Key(string realm, string? service, IEnumerable<string> scopes) =>
        $"{realm}\n{service}\n{string.Join(' ', TokenScope.Normalize(scopes))}";

    /// <summary>A cached token that is still valid, or <c>null</c>.</summary>
    public BearerToken? TryGet(string key) =>
        _tokens.TryGetValue(key, out var token) && token.IsValidAt(time.GetUtcNow()) ? token : null;

    /// <summary>Stores a token.</summary>
    public void Set(string key, BearerToken token) => _tokens[key] = token;

    /// <summary>Forgets a token the registry rejected (e.g. expired early, as GitLab's may).</summary>
    public void Invalidate(string key, BearerToken rejected) =>
        _tokens.TryRemove(new KeyValuePair<string, BearerToken>(key, rejected));
}
