using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Expansion;

namespace Dockyard.Tests.Dockerfiles;

public class WordExpanderTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["NAME"] = "web",
        ["EMPTY"] = "",
        ["PATH_VAR"] = "/usr/local/bin/dotnet.tar.gz",
        ["SPACED"] = "a b",
    };

    private static string Expand(string word, char escape = '\\') =>
        new WordExpander(name => Variables.GetValueOrDefault(name), escape, new SourceLocation("Dockerfile", 4, 1)).Expand(word);

    [Theory]
    [InlineData("$NAME", "web")]
    [InlineData("${NAME}", "web")]
    [InlineData("pre-${NAME}-post", "pre-web-post")]
    [InlineData("$NAME.dll", "web.dll")]
    [InlineData("$UNSET", "")]
    [InlineData("${UNSET}x", "x")]
    [InlineData("${NAME:-default}", "web")]
    [InlineData("${EMPTY:-default}", "default")]
    [InlineData("${UNSET:-default}", "default")]
    [InlineData("${EMPTY-default}", "")]
    [InlineData("${UNSET-default}", "default")]
    [InlineData("${NAME:+alt}", "alt")]
    [InlineData("${EMPTY:+alt}", "")]
    [InlineData("${UNSET:+alt}", "")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${UNSET+alt}", "")]
    [InlineData("${UNSET:-${NAME}}", "web")]
    [InlineData("${UNSET:-a b}", "a b")]
    [InlineData("${PATH_VAR#*/}", "usr/local/bin/dotnet.tar.gz")]
    [InlineData("${PATH_VAR##*/}", "dotnet.tar.gz")]
    [InlineData("${PATH_VAR%.*}", "/usr/local/bin/dotnet.tar")]
    [InlineData("${PATH_VAR%%.*}", "/usr/local/bin/dotnet")]
    [InlineData("${PATH_VAR/local/opt}", "/usr/opt/bin/dotnet.tar.gz")]
    [InlineData("${NAME//[ew]/x}", "xxb")]
    [InlineData("$", "$")]
    [InlineData("$ x", "$ x")]
    [InlineData("a$/b", "a$/b")]
    public void Substitutions(string word, string expected) => Assert.Equal(expected, Expand(word));

    [Theory]
    [InlineData(@"\$NAME", "$NAME")]
    [InlineData(@"\${NAME}", "${NAME}")]
    [InlineData("'$NAME'", "$NAME")]
    [InlineData("\"$NAME\"", "web")]
    [InlineData("\"a \\\"q\\\" \\$NAME \\x\"", "a \"q\" $NAME \\x")]
    [InlineData("\"two words\"", "two words")]
    [InlineData(@"three\ words", "three words")]
    [InlineData("it''s", "its")]
    [InlineData("x\\", "x")]
    public void Quotes_and_escapes(string word, string expected) => Assert.Equal(expected, Expand(word));

    [Fact]
    public void Backtick_escape_directive_changes_the_escape_character()
    {
        Assert.Equal("$NAME", Expand("`$NAME", '`'));
        Assert.Equal(@"c:\web", Expand(@"c:\$NAME", '`'));
    }

    [Fact]
    public void Required_variable_fails_with_its_message_and_location()
    {
        var error = Assert.Throws<SourceException>(() => Expand("${UNSET:?set it with --build-arg}"));
        Assert.Equal(4, error.Location.Line);
        Assert.Contains("UNSET: set it with --build-arg", error.Message);
        Assert.Equal("web", Expand("${NAME:?}"));
        Assert.Throws<SourceException>(() => Expand("${EMPTY:?}"));
        Assert.Equal("", Expand("${EMPTY?}"));
    }

    // found by the dockerfile fuzz target (corpus/dockerfile/reversed-range): the range made no regex and escaped as RegexParseException
    [Theory]
    [InlineData("${NAME#[z-a]}")]
    [InlineData("${NAME%%[/sh- -c]*}")]
    [InlineData("${NAME/[9-0]/x}")]
    public void A_pattern_with_a_reversed_range_is_refused_at_the_word(string word)
    {
        var error = Assert.Throws<SourceException>(() => Expand(word));
        Assert.Equal(new SourceLocation("Dockerfile", 4, 1), error.Location);
        Assert.True(error.Message.Contains("in the substitution of 'NAME' is not a valid shell pattern (ReversedCharacterRange)", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Words_are_split_on_unquoted_whitespace()
    {
        var expander = new WordExpander(name => Variables.GetValueOrDefault(name), '\\', default);
        Assert.Equal(["dotnet", "publish", "my app.csproj", "-c", "web"], expander.ExpandWords("dotnet  publish \"my app.csproj\" -c $NAME"));
    }
}
