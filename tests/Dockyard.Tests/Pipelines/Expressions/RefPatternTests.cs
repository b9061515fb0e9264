using Dockyard.Pipelines.Expressions;

namespace Dockyard.Tests.Pipelines.Expressions;

public class RefPatternTests
{
    private static RefContext Branch(string name, string source = "push") => new(name, IsTag: false, IsBranch: true, source, "group/app");

    private static RefContext Tag(string name) => new(name, IsTag: true, IsBranch: false, "push", "group/app");

    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "main2", false)]
    [InlineData("/^release-.*$/", "release-1.0", true)]
    [InlineData("/^release-.*$/", "hotfix", false)]
    [InlineData("/release/", "pre-release-x", true)]
    [InlineData("/^RELEASE/i", "release-2", true)]
    [InlineData("/(/", "/(/", true)]
    [InlineData("branches", "anything", true)]
    [InlineData("tags", "anything", false)]
    [InlineData("pushes", "x", true)]
    [InlineData("push", "x", true)]
    [InlineData("schedules", "x", false)]
    [InlineData("main@group/app", "main", true)]
    [InlineData("main@other/app", "main", false)]
    [InlineData("branches@group/app", "x", true)]
    public void Matches_branch_pipelines(string entry, string refName, bool expected) =>
        Assert.Equal(expected, RefPattern.Parse(entry).IsMatch(Branch(refName)));

    [Fact]
    public void Keywords_follow_the_pipeline_source()
    {
        Assert.True(RefPattern.Parse("merge_requests").IsMatch(new RefContext("feature", false, false, "merge_request_event", "g/a")));
        Assert.False(RefPattern.Parse("feature").IsMatch(new RefContext("feature", false, false, "merge_request_event", "g/a")));
        Assert.True(RefPattern.Parse("schedules").IsMatch(Branch("main", "schedule")));
        Assert.True(RefPattern.Parse("external_pull_requests").IsMatch(Branch("main", "external_pull_request_event")));
        Assert.True(RefPattern.Parse("tags").IsMatch(Tag("v1.0")));
        Assert.False(RefPattern.Parse("branches").IsMatch(Tag("v1.0")));
        Assert.True(RefPattern.Parse("/^v\\d+/").IsMatch(Tag("v1.0")));
    }

    [Fact]
    public void Exposes_its_parts()
    {
        var pattern = RefPattern.Parse("/^stable$/@group/app");
        Assert.True(pattern.IsRegex);
        Assert.Equal("/^stable$/", pattern.Pattern);
        Assert.Equal("group/app", pattern.ProjectPath);
        Assert.True(pattern.IsMatch("stable"));
        Assert.False(RefPattern.Parse("stable").IsRegex);
    }
}
