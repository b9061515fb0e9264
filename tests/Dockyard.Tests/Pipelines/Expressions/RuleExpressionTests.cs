using Dockyard.Diagnostics;
using Dockyard.Pipelines.Expressions;

namespace Dockyard.Tests.Pipelines.Expressions;

public class RuleExpressionTests
{
    private static readonly SourceLocation At = new(".gitlab-ci.yml", 10, 11);

    private static readonly Dictionary<string, string> Variables = new()
    {
        ["CI_COMMIT_BRANCH"] = "feature/ABC-12",
        ["CI_PIPELINE_SOURCE"] = "push",
        ["CI_DEFAULT_BRANCH"] = "main",
        ["MAIN"] = "main",
        ["EMPTY"] = "",
        ["BLANK"] = "   ",
        ["SET"] = "yes",
        ["PATTERN"] = "/^feature\\/.*$/",
        ["PATTERN_I"] = "/^FEATURE/i",
        ["PLAIN"] = "feature/ABC-12 and more",
        ["TRUE"] = "true",
    };

    private static bool Eval(string expression) =>
        RuleExpression.Parse(expression, At).Evaluate(name => Variables.TryGetValue(name, out var value) ? value : null);

    [Theory]
    [InlineData("$CI_PIPELINE_SOURCE == \"push\"", true)]
    [InlineData("$CI_PIPELINE_SOURCE == 'push'", true)]
    [InlineData("$CI_PIPELINE_SOURCE != \"push\"", false)]
    [InlineData("\"push\" == $CI_PIPELINE_SOURCE", true)]
    [InlineData("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", false)]
    [InlineData("$MAIN == $CI_DEFAULT_BRANCH", true)]
    [InlineData("$UNDEFINED == null", true)]
    [InlineData("null == $UNDEFINED", true)]
    [InlineData("$UNDEFINED == \"\"", false)]
    [InlineData("$EMPTY == \"\"", true)]
    [InlineData("$EMPTY == null", false)]
    [InlineData("$EMPTY != null", true)]
    [InlineData("$UNDEFINED != null", false)]
    [InlineData("$UNDEFINED == $ALSO_UNDEFINED", true)]
    [InlineData("null == null", true)]
    [InlineData("\"a\" == \"a\"", true)]
    [InlineData("$TRUE == \"true\"", true)]
    // Chained comparisons are left-associative; a boolean never equals a string.
    [InlineData("$MAIN == \"main\" == \"true\"", false)]
    [InlineData("$MAIN == \"main\" != null", true)]
    public void Equality_follows_nil_semantics(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("$SET", true)]
    [InlineData("$EMPTY", false)]
    [InlineData("$BLANK", false)]
    [InlineData("$UNDEFINED", false)]
    [InlineData("\"text\"", true)]
    [InlineData("\"\"", false)]
    [InlineData("null", false)]
    [InlineData("/anything/", true)]
    public void Bare_value_is_true_when_present(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("$CI_COMMIT_BRANCH =~ /^feature\\//", true)]
    [InlineData("$CI_COMMIT_BRANCH =~ /^feature/", true)]
    [InlineData("$CI_COMMIT_BRANCH =~ /ABC-\\d+$/", true)]
    [InlineData("$CI_COMMIT_BRANCH =~ /abc/", false)]
    [InlineData("$CI_COMMIT_BRANCH =~ /abc/i", true)]
    [InlineData("$CI_COMMIT_BRANCH !~ /abc/", true)]
    [InlineData("$CI_COMMIT_BRANCH !~ /abc/i", false)]
    [InlineData("$CI_COMMIT_BRANCH =~ /(?P<kind>feature|fix)\\/(?P<id>[A-Z]+)/", true)]
    [InlineData("$CI_COMMIT_BRANCH =~ /^[[:alpha:]]+\\//", true)]
    [InlineData("$CI_COMMIT_BRANCH =~ $PATTERN", true)]
    [InlineData("$CI_COMMIT_BRANCH =~ $PATTERN_I", true)]
    [InlineData("$CI_COMMIT_BRANCH !~ $PATTERN", false)]
    [InlineData("$UNDEFINED =~ /^$/", true)]
    [InlineData("$UNDEFINED =~ /.+/", false)]
    [InlineData("$CI_COMMIT_BRANCH =~ null", false)]
    [InlineData("$CI_COMMIT_BRANCH !~ null", true)]
    [InlineData("$CI_COMMIT_BRANCH =~ $UNDEFINED", false)]
    [InlineData("$CI_COMMIT_BRANCH !~ $UNDEFINED", true)]
    public void Regex_matching_is_an_unanchored_re2_search(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    // A string (not /re/) on the right: GitLab's String#scan finds the left text inside the right.
    [InlineData("$CI_COMMIT_BRANCH =~ $PLAIN", true)]
    [InlineData("$PLAIN =~ $CI_COMMIT_BRANCH", false)]
    [InlineData("$CI_PIPELINE_SOURCE =~ \"a push event\"", true)]
    [InlineData("$CI_PIPELINE_SOURCE !~ \"web\"", true)]
    public void Regex_operator_with_a_plain_string_is_a_substring_test(string expression, bool expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("$SET || $UNDEFINED && $UNDEFINED", true)]
    [InlineData("($SET || $UNDEFINED) && $UNDEFINED", false)]
    [InlineData("$UNDEFINED && $UNDEFINED || $SET", true)]
    [InlineData("$UNDEFINED && ($UNDEFINED || $SET)", false)]
    [InlineData("$SET && $MAIN == \"main\" && $CI_PIPELINE_SOURCE == \"push\"", true)]
    [InlineData("$CI_PIPELINE_SOURCE == \"web\" || $CI_PIPELINE_SOURCE == \"push\"", true)]
    [InlineData("(($CI_PIPELINE_SOURCE == \"web\"))", false)]
    [InlineData("$CI_PIPELINE_SOURCE == \"merge_request_event\" || ($CI_COMMIT_BRANCH =~ /^feature/ && $SET)", true)]
    public void And_binds_tighter_than_or_and_parentheses_group(string expression, bool expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    // Ruby semantics: "" is truthy for && and ||, and the result must be present?.
    [InlineData("$EMPTY || $SET", false)]
    [InlineData("$EMPTY && $SET", true)]
    [InlineData("$UNDEFINED || $SET", true)]
    [InlineData("$UNDEFINED && $SET", false)]
    [InlineData("$SET && $EMPTY", false)]
    public void Logical_operators_return_operands_like_gitlab(string expression, bool expected) =>
        Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Expression_may_span_lines()
    {
        const string text = "$CI_PIPELINE_SOURCE == \"push\" &&\n  $CI_COMMIT_BRANCH =~ /^feature/\n  && $SET";
        Assert.True(Eval(text));
        Assert.Equal("$CI_PIPELINE_SOURCE == \"push\" && $CI_COMMIT_BRANCH =~ /^feature/ && $SET",
            RuleExpression.Parse(text, At).ToString());
    }

    [Theory]
    [InlineData("$A=='x'", "$A == \"x\"")]
    [InlineData("  ( $A )  ", "$A")]
    [InlineData("($A || $B) && $C", "($A || $B) && $C")]
    [InlineData("$A || ($B && $C)", "$A || $B && $C")]
    [InlineData("$A && ($B && $C)", "$A && ($B && $C)")]
    [InlineData("$A =~ /a\\/b/i", "$A =~ /a\\/b/i")]
    [InlineData("$A == '\"q\"'", "$A == '\"q\"'")]
    [InlineData("$A!=null", "$A != null")]
    [InlineData("$A == $B == $C", "($A == $B) == $C")]
    public void ToString_gives_a_normalised_form(string text, string expected) =>
        Assert.Equal(expected, RuleExpression.Parse(text, At).ToString());

    [Fact]
    public void Normalised_form_parses_to_the_same_normalised_form()
    {
        foreach (var text in new[] { "$A==\"1\"&&($B||$C=~/x+/m)", "($A || $B) && ($C || $D)", "$A !~ /^(a|b)$/i || null == $X" })
        {
            var once = RuleExpression.Parse(text, At).ToString();
            Assert.Equal(once, RuleExpression.Parse(once, At).ToString());
        }
    }

    [Fact]
    public void Lists_the_variables_it_reads()
    {
        var expression = RuleExpression.Parse("$A == $B || $A =~ /xy/ && $C", At);
        Assert.Equal(["A", "B", "C"], expression.VariableNames);
    }

    [Fact]
    public void Quoted_variables_are_literals_not_expanded()
    {
        Assert.False(Eval("$CI_PIPELINE_SOURCE == \"$CI_PIPELINE_SOURCE\""));
        Assert.True(Eval("\"$CI_PIPELINE_SOURCE\" == '$CI_PIPELINE_SOURCE'"));
    }

    [Theory]
    [InlineData("${CI_COMMIT_BRANCH} == \"main\"", 1, "${VAR}")]
    [InlineData("$A == \"unterminated", 7, "no closing")]
    [InlineData("$A = \"x\"", 4, "single '='")]
    [InlineData("$A == \"x\" & $B", 11, "single '&'")]
    [InlineData("!$A", 1, "no '!' negation")]
    [InlineData("$A ==", 6, "ends where a value was expected")]
    [InlineData("($A == \"x\"", 11, "not closed")]
    [InlineData("$A == \"x\")", 10, "no matching '('")]
    [InlineData("$A $B", 4, "expected && or ||")]
    [InlineData("$A =~ /(?=x)y/", 7, "look-around")]
    [InlineData("$A =~ /(a)\\1/", 7, "back-references")]
    [InlineData("$A =~ /a/", 7, "at least two characters")]
    [InlineData("$A =~ /[a-/", 7, "invalid regular expression")]
    [InlineData("", 1, "empty")]
    [InlineData("&& $A", 1, "expected a value")]
    [InlineData("$A ==\u00A0\"x\"", 6, "U+00A0")]
    public void Invalid_expressions_point_at_the_column(string text, int column, string expected)
    {
        var error = Assert.Throws<SourceException>(() => RuleExpression.Parse(text, At));
        Assert.Equal(new SourceLocation(".gitlab-ci.yml", 10, 11 + column - 1), error.Location);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("GitLab accepts $VAR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_on_a_later_line_reports_that_line()
    {
        var error = Assert.Throws<SourceException>(() => RuleExpression.Parse("$A == \"x\" &&\n   ${B}", At));
        Assert.Equal(new SourceLocation(".gitlab-ci.yml", 11, 4), error.Location);
    }

    [Fact]
    public void Unknown_location_is_kept_as_is()
    {
        var error = Assert.Throws<SourceException>(() => RuleExpression.Parse("$A ==", new SourceLocation("x.yml", 0, 0)));
        Assert.Equal(new SourceLocation("x.yml", 0, 0), error.Location);
        Assert.StartsWith("x.yml: invalid rules:if expression '$A =='", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_100_tokens_is_rejected_like_gitlab()
    {
        var ok = string.Join(" || ", Enumerable.Repeat("$A", 50)); // 99 tokens
        Assert.False(RuleExpression.Parse(ok, At).Evaluate(_ => null));
        var tooMany = ok + " || $A";
        var error = Assert.Throws<SourceException>(() => RuleExpression.Parse(tooMany, At));
        Assert.Contains("more than 100 tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Regex_in_a_variable_that_is_invalid_falls_back_to_substring()
    {
        var expression = RuleExpression.Parse("$X =~ $P", At);
        Assert.True(expression.Evaluate(name => name == "X" ? "(a" : "/(a/"));
        Assert.False(expression.Evaluate(name => name == "X" ? "b" : "/(a/"));
    }

    [Fact]
    public void Catastrophic_patterns_run_in_linear_time()
    {
        var expression = RuleExpression.Parse("$X =~ /^(a+)+$/", At);
        var input = new string('a', 50_000) + "!";
        Assert.False(expression.Evaluate(_ => input));
    }
}

public class RuleExpressionAllocationTests
{
    private static string? Lookup(string name) => name switch
    {
        "CI_PIPELINE_SOURCE" => "push",
        "CI_COMMIT_BRANCH" => "feature/x",
        _ => null,
    };

    [Fact]
    public void Evaluation_does_not_allocate()
    {
        var expression = RuleExpression.Parse(
            "($CI_PIPELINE_SOURCE == \"push\" || $CI_PIPELINE_SOURCE == \"web\") && $CI_COMMIT_BRANCH =~ /^feature\\// && $UNDEFINED == null",
            new Dockyard.Diagnostics.SourceLocation("x.yml", 1, 1));
        Func<string, string?> lookup = Lookup;
        for (var i = 0; i < 100; i++)
        {
            Assert.True(expression.Evaluate(lookup));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            expression.Evaluate(lookup);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
