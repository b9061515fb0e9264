using Dockyard.Diagnostics;
using Dockyard.Pipelines.Durations;

namespace Dockyard.Tests.Pipelines.Durations;

public class GitLabDurationTests
{
    private static readonly SourceLocation At = new(".gitlab-ci.yml", 4, 12);

    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("1h 30m", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("3 hours", 10800)]
    [InlineData("30 minutes", 1800)]
    [InlineData("30 mins", 1800)]
    [InlineData("1 week", 604800)]
    [InlineData("2 weeks", 1209600)]
    [InlineData("1 day 2 hrs", 93600)]
    [InlineData("1 day and 2 hours", 93600)]
    [InlineData("1 day, 2 hours", 93600)]
    [InlineData("1.5 hours", 5400)]
    [InlineData("90 sec", 90)]
    [InlineData("2 HOURS", 7200)]
    [InlineData("1 mo", 2592000)]
    [InlineData("1 year", 31557600)]
    [InlineData("1h 30", 3630)]
    [InlineData("1:30", 90)]
    [InlineData("1:02:03", 3723)]
    [InlineData("  10 minutes  ", 600)]
    [InlineData("hours", 3600)] // a leading unit counts once
    [InlineData("2 3", 3)] // a number followed by a number counts zero, as in the gem
    [InlineData("twenty five minutes", 1500)]
    [InlineData("1 day 12:00:00", 129600)]
    public void Parses_human_durations(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), GitLabDuration.Parse(text, At, "timeout"));

    [Fact]
    public void Never_is_only_for_expire_in()
    {
        Assert.Null(GitLabDuration.Parse("never", At, "artifacts:expire_in", allowNever: true));
        var error = Assert.Throws<SourceException>(() => GitLabDuration.Parse("never", At, "timeout"));
        Assert.Contains("only allowed for artifacts:expire_in", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("soon", "'soon' is not a number or a unit")]
    [InlineData("3 fortnights", "'fortnights'")]
    [InlineData("0", "zero")]
    [InlineData("0 minutes", "zero")]
    [InlineData("1:2:3:4:5:6:7", "too many")]
    public void Invalid_durations_say_where_and_what(string text, string expected)
    {
        var error = Assert.Throws<SourceException>(() => GitLabDuration.Parse(text, At, "start_in"));
        Assert.StartsWith(".gitlab-ci.yml:4:12: start_in '", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("'1h 30m'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Try_parse_does_not_throw()
    {
        Assert.True(GitLabDuration.TryParse("5 minutes", out var duration, out var problem));
        Assert.Equal(TimeSpan.FromMinutes(5), duration);
        Assert.Null(problem);
        Assert.False(GitLabDuration.TryParse("x", out _, out problem));
        Assert.NotNull(problem);
    }
}
