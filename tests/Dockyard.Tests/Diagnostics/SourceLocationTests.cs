using Dockyard.Diagnostics;

namespace Dockyard.Tests.Diagnostics;

public class SourceLocationTests
{
    [Theory]
    [InlineData(".gitlab-ci.yml", 3, 7, ".gitlab-ci.yml:3:7")]
    [InlineData("Dockerfile", 12, 0, "Dockerfile:12")]
    [InlineData("ci/build.yml", 0, 0, "ci/build.yml")]
    public void Formats_as_file_line_column(string file, int line, int column, string expected) =>
        Assert.Equal(expected, new SourceLocation(file, line, column).ToString());

    [Fact]
    public void Source_exception_message_starts_with_location_and_ends_with_advice()
    {
        var error = new SourceException(new SourceLocation("a.yml", 2, 5), "unknown key 'scirpt'.", "Did you mean 'script'?");
        Assert.Equal("a.yml:2:5: unknown key 'scirpt'. Did you mean 'script'?", error.Message);
        Assert.Equal(2, error.Location.Line);
    }
}
