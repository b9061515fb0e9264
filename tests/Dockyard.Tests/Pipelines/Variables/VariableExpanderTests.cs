using Dockyard.Pipelines.Variables;

namespace Dockyard.Tests.Pipelines.Variables;

public class VariableExpanderTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["NAME"] = "world",
        ["EMPTY"] = "",
        ["NESTED"] = "hello $NAME",
        ["_X1"] = "x",
    };

    private static string Expand(string text) => VariableExpander.Expand(text, name => Values.GetValueOrDefault(name));

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("$NAME", "world")]
    [InlineData("${NAME}", "world")]
    [InlineData("a-$NAME-b", "a-world-b")]
    [InlineData("a${NAME}b", "aworldb")]
    [InlineData("$NAMEX", "")]
    [InlineData("${NAME}X", "worldX")]
    [InlineData("$UNDEFINED|", "|")]
    [InlineData("$EMPTY|", "|")]
    [InlineData("$$NAME", "$NAME")]
    [InlineData("$$$NAME", "$world")]
    [InlineData("$$$$", "$$")]
    [InlineData("cost: 5$", "cost: 5$")]
    [InlineData("$1 $- ${} ${1A} ${NAME", "$1 $- ${} ${1A} ${NAME")]
    [InlineData("$_X1$NAME", "xworld")]
    [InlineData("$NESTED", "hello $NAME")]
    public void Expands_one_level(string text, string expected) => Assert.Equal(expected, Expand(text));

    [Theory]
    [InlineData("$NAME/$MISSING/${MISSING}/${NAME}", "world/$MISSING/${MISSING}/world")]
    [InlineData("$EMPTY|$$", "|$")]
    [InlineData("docs/**/*.md", "docs/**/*.md")]
    public void Expand_existing_keeps_undefined_references(string text, string expected) =>
        Assert.Equal(expected, VariableExpander.ExpandExisting(text, name => Values.GetValueOrDefault(name)));

    [Fact]
    public void Returns_the_same_instance_when_there_is_nothing_to_expand()
    {
        const string text = "no dollar here";
        Assert.Same(text, VariableExpander.Expand(text, _ => throw new InvalidOperationException("not called")));
    }

    [Fact]
    public void Recursive_expansion_follows_references_and_honours_raw_values()
    {
        var variables = new Dictionary<string, VariableValue>
        {
            ["A"] = new("a-$B"),
            ["B"] = new("b-${C}"),
            ["C"] = new("c"),
            ["RAW"] = new("raw-$A", IsRaw: true),
            ["USES_RAW"] = new("[$RAW]"),
            ["ESCAPED"] = new("$$A"),
        };
        VariableValue? Lookup(string name) => variables.TryGetValue(name, out var value) ? value : null;

        Assert.Equal("a-b-c", VariableExpander.ExpandRecursive("$A", Lookup));
        Assert.Equal("raw-$A", VariableExpander.ExpandRecursive("$RAW", Lookup));
        Assert.Equal("[raw-$A]", VariableExpander.ExpandRecursive("$USES_RAW", Lookup));
        Assert.Equal("$A", VariableExpander.ExpandRecursive("$ESCAPED", Lookup));
        Assert.Equal("x", VariableExpander.ExpandRecursive("x$MISSING", Lookup));
    }

    [Fact]
    public void Recursive_expansion_stops_at_cycles()
    {
        var variables = new Dictionary<string, VariableValue>
        {
            ["A"] = new("a($B)"),
            ["B"] = new("b($A)"),
            ["SELF"] = new("x$SELF"),
        };
        VariableValue? Lookup(string name) => variables.TryGetValue(name, out var value) ? value : null;

        Assert.Equal("a(b($A))", VariableExpander.ExpandRecursive("$A", Lookup));
        Assert.Equal("xx$SELF", VariableExpander.ExpandRecursive("x$SELF", Lookup));
        var all = VariableExpander.ExpandAll(variables);
        Assert.Equal("a(b($A))", all["A"]);
        Assert.Equal("b(a($B))", all["B"]);
        Assert.Equal("x$SELF", all["SELF"]);
    }

    [Fact]
    public void Expand_all_exports_every_value()
    {
        var all = VariableExpander.ExpandAll(new Dictionary<string, VariableValue>
        {
            ["IMAGE"] = new("$REGISTRY/app:$TAG"),
            ["REGISTRY"] = new("registry.example.com"),
            ["TAG"] = new("${VERSION}-1"),
            ["VERSION"] = new("2.0"),
            ["LITERAL"] = new("$IMAGE", IsRaw: true),
        });
        Assert.Equal("registry.example.com/app:2.0-1", all["IMAGE"]);
        Assert.Equal("$IMAGE", all["LITERAL"]);
    }

    [Theory]
    [InlineData("abc", false)]
    [InlineData("5$", false)]
    [InlineData("$1", false)]
    [InlineData("${}", false)]
    [InlineData("$A", true)]
    [InlineData("${A}", true)]
    [InlineData("$$", true)]
    public void Detects_references(string text, bool expected) => Assert.Equal(expected, VariableExpander.ContainsReference(text));
}
