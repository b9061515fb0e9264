using Dockyard.Registries.Auth;

namespace Dockyard.Tests.Registries.Auth;

public class AuthChallengeTests
{
    [Fact]
    public void Bearer_with_realm_service_several_scopes_and_error()
    {
        var c = Assert.Single(AuthChallenge.Parse(
            "Bearer realm=\"https://gitlab.example.com/jwt/auth\",service=\"container_registry\",scope=\"repository:group/app:pull,push repository:group/base:pull\",error=\"insufficient_scope\""));
        Assert.True(c.IsBearer);
        Assert.Equal("https://gitlab.example.com/jwt/auth", c.Realm);
        Assert.Equal("container_registry", c.Service);
        Assert.Equal(["repository:group/app:pull,push", "repository:group/base:pull"], c.Scopes);
        Assert.True(c.IsInsufficientScope);
    }

    [Fact]
    public void Scheme_and_parameter_names_are_case_insensitive_and_values_may_be_tokens()
    {
        var c = Assert.Single(AuthChallenge.Parse("bEaReR Realm=https://auth.example/token , SERVICE=registry.example"));
        Assert.True(c.IsBearer);
        Assert.Equal("https://auth.example/token", c.Realm);
        Assert.Equal("registry.example", c.Service);
        Assert.Empty(c.Scopes);
        Assert.False(c.IsInsufficientScope);
    }

    [Fact]
    public void Quoted_strings_keep_commas_and_unescape_backslashes()
    {
        var c = Assert.Single(AuthChallenge.Parse("Basic realm=\"a, \\\"quoted\\\" realm\", charset=\"UTF-8\""));
        Assert.True(c.IsBasic);
        Assert.Equal("a, \"quoted\" realm", c.Realm);
        Assert.Equal("UTF-8", c.Parameters["charset"]);
    }

    [Fact]
    public void Several_challenges_in_one_header_and_across_lines()
    {
        var all = AuthChallenge.Parse([
            "Basic realm=\"registry\", Bearer realm=\"https://t.example/token\",service=\"s\"",
            "Bearer realm=\"https://other/token\",error=\"invalid_token\"",
        ]);
        Assert.Equal(["basic", "bearer", "bearer"], all.Select(c => c.Scheme));
        Assert.Equal("https://t.example/token", all[1].Realm);
        Assert.Equal("invalid_token", all[2].Error);
    }

    [Fact]
    public void Garbage_yields_no_challenge_instead_of_throwing()
    {
        Assert.Empty(AuthChallenge.Parse(""));
        Assert.Empty(AuthChallenge.Parse("=\"x\""));
        var c = Assert.Single(AuthChallenge.Parse("Bearer realm=\"unterminated"));
        Assert.Equal("unterminated", c.Realm);
    }
}
