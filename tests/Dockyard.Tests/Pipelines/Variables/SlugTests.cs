using Dockyard.Pipelines.Variables;

namespace Dockyard.Tests.Pipelines.Variables;

public class SlugTests
{
    [Theory]
    [InlineData("main", "main")]
    [InlineData("Feature/ABC_1.2", "feature-abc-1-2")]
    [InlineData("a//b", "a--b")]
    [InlineData("--lead/trail--", "lead-trail")]
    [InlineData("__", "")]
    [InlineData("", "")]
    [InlineData("Ünïcode-ß", "n-code")]
    [InlineData("emoji-😀-x", "emoji---x")] // one dash per Unicode scalar, not per UTF-16 unit
    [InlineData("v1.0.0", "v1-0-0")]
    [InlineData("\u0130stanbul", "i-stanbul")] // Ruby downcases U+0130 to two characters
    [InlineData("\u212Aelvin", "kelvin")] // KELVIN SIGN lower-cases to ASCII k
    public void Slugify_follows_gitlab(string value, string expected) => Assert.Equal(expected, Slug.Slugify(value));

    [Fact]
    public void Slugify_keeps_63_characters_then_strips_dashes()
    {
        var long64 = new string('a', 62) + "/b";
        Assert.Equal(new string('a', 62), Slug.Slugify(long64));
        Assert.Equal(63, Slug.Slugify(new string('x', 100)).Length);
        Assert.Equal("feature-24-research-for-gitlab-ci-predefined-variables-for-diff",
            Slug.Slugify("feature/24-research-for-gitlab-ci-predefined-variables-for-different-situations"));
    }

    // GitLab's own spec (spec/lib/gitlab/slug/environment_spec.rb) fixes the suffix to 'q517sa'.
    [Theory]
    [InlineData("staging-12345678901234567", "staging-123456789-q517sa")]
    [InlineData("9-staging-123456789012345", "env-9-staging-123-q517sa")]
    [InlineData("staging-1234567890123456", "staging-1234567890123456")]
    [InlineData("staging-1234567890123456-", "staging-123456789-q517sa")]
    [InlineData("production", "production")]
    [InlineData("PRODUCTION", "production-q517sa")]
    [InlineData("review/1-foo", "review-1-foo-q517sa")]
    [InlineData("1-foo", "env-1-foo-q517sa")]
    [InlineData("1/foo", "env-1-foo-q517sa")]
    [InlineData("foo-", "foo")]
    [InlineData("foo--bar", "foo-bar-q517sa")]
    [InlineData("foo**bar", "foo-bar-q517sa")]
    [InlineData("*-foo", "env-foo-q517sa")]
    [InlineData("staging-12345678-", "staging-12345678")]
    [InlineData("staging-12345678-01234567", "staging-12345678-q517sa")]
    [InlineData("", "env-q517sa")]
    public void Environment_slug_follows_gitlab(string name, string expected) =>
        Assert.Equal(expected, Slug.EnvironmentSlug(name, () => "q517sa"));

    [Fact]
    public void Environment_slug_suffix_is_base36_of_the_sha256()
    {
        var fixedDigest = Enumerable.Repeat((byte)0xAA, 32).ToArray();
        Assert.Equal("q517sa", Slug.Base36Suffix(fixedDigest));
        var slug = Slug.EnvironmentSlug("review/my-feature");
        Assert.Matches("^review-my-feature-[0-9a-z]{6}$", slug);
        Assert.Equal(slug, Slug.EnvironmentSlug("review/my-feature"));
        Assert.Equal("production", Slug.EnvironmentSlug("production"));
    }
}
