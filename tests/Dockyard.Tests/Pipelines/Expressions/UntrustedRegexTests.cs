using Dockyard.Pipelines.Expressions;

namespace Dockyard.Tests.Pipelines.Expressions;

public class UntrustedRegexTests
{
    private static bool Match(string source, string flags, string text)
    {
        Assert.True(UntrustedRegex.TryCreate(source, flags, out var regex, out var error), error);
        return regex!.IsMatch(text);
    }

    [Theory]
    [InlineData(@"^\d+$", "", "123", true)]
    [InlineData(@"^\d+$", "", "١٢٣", false)] // RE2 \d is ASCII only
    [InlineData(@"^\w+$", "", "héllo", false)]
    [InlineData(@"^a$", "", "a\n", false)] // RE2 $ without m is the end of text
    [InlineData(@"^b$", "m", "a\nb\nc", true)]
    [InlineData(@"a.b", "", "a\nb", false)]
    [InlineData(@"a.b", "s", "a\nb", true)]
    [InlineData(@"(?i)ABC", "", "xabcx", true)]
    [InlineData(@"(?U)a+", "", "aaa", true)]
    [InlineData(@"(?P<year>\d{4})-(?P<month>\d\d)", "", "2024-01", true)]
    [InlineData(@"(?<year>\d{4})", "", "2024", true)]
    [InlineData(@"[[:upper:]][[:digit:]]", "", "xA1", true)]
    [InlineData(@"\Qa.b\E", "", "axb", false)]
    [InlineData(@"\Qa.b\E", "", "a.b", true)]
    [InlineData(@"\x{41}\pL", "", "AB", true)]
    [InlineData(@"[]a]+", "", "]]", true)]
    [InlineData(@"\bword\b", "", "a word here", true)]
    public void Translates_re2_syntax(string source, string flags, string text, bool expected) =>
        Assert.Equal(expected, Match(source, flags, text));

    [Theory]
    [InlineData(@"(?=a)")]
    [InlineData(@"(?<!a)b")]
    [InlineData(@"(?>a)")]
    [InlineData(@"(a)\1")]
    [InlineData(@"a++")]
    [InlineData(@"[abc")]
    [InlineData(@"(")]
    [InlineData(@"\")]
    [InlineData(@"[[:nope:]]")]
    [InlineData(@"\p{}")] // found by the rules-if fuzz target (corpus/rules-if/empty-unicode-class): was an IndexOutOfRangeException
    [InlineData(@"[\p{^}]")]
    public void Rejects_what_re2_rejects(string source) =>
        Assert.False(UntrustedRegex.TryCreate(source, "", out _, out _));

    [Theory]
    [InlineData("/abc/", true)]
    [InlineData("/a/b/i", true)]
    [InlineData("/abc/x", false)]
    [InlineData("abc", false)]
    [InlineData("/", false)]
    [InlineData("/(/", false)]
    public void Recognises_ruby_syntax_literals(string text, bool expected) =>
        Assert.Equal(expected, UntrustedRegex.TryParseLiteral(text, out _));
}
