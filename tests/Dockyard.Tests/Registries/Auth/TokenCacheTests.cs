using Dockyard.Registries.Auth;

namespace Dockyard.Tests.Registries.Auth;

public class TokenCacheTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Key_ignores_scope_order_and_duplicates_but_not_realm_or_service()
    {
        var a = TokenCache.Key("https://r/token", "svc", ["repository:b:pull", "repository:a:pull,push", "repository:b:pull"]);
        var b = TokenCache.Key("https://r/token", "svc", ["repository:a:pull,push", "repository:b:pull"]);
        Assert.Equal(a, b);
        Assert.NotEqual(a, TokenCache.Key("https://r/token", "other", ["repository:a:pull,push", "repository:b:pull"]));
        Assert.NotEqual(a, TokenCache.Key("https://x/token", "svc", ["repository:a:pull,push", "repository:b:pull"]));
        Assert.NotEqual(a, TokenCache.Key("https://r/token", "svc", ["repository:a:pull,push"]));
    }

    [Fact]
    public void Tokens_expire_and_rejected_tokens_are_dropped()
    {
        var clock = new ManualClock();
        var cache = new TokenCache(clock);
        var token = new BearerToken("t1", clock.Now + BearerToken.DefaultLifetime);
        cache.Set("k", token);
        Assert.Same(token, cache.TryGet("k"));

        clock.Now += TimeSpan.FromSeconds(56); // inside the 5 s safety margin
        Assert.Null(cache.TryGet("k"));

        clock.Now -= TimeSpan.FromSeconds(56);
        cache.Invalidate("k", new BearerToken("other", token.ExpiresAt));
        Assert.Same(token, cache.TryGet("k")); // a different token was rejected: keep ours
        cache.Invalidate("k", token);
        Assert.Null(cache.TryGet("k"));
    }

    [Fact]
    public void Bearer_token_never_prints_its_value() =>
        Assert.DoesNotContain("secret-token-value", new BearerToken("secret-token-value", DateTimeOffset.UnixEpoch).ToString());
}
