using System.Text.Json;
using Dockyard.Pipelines.Expressions;
using Dockyard.Tests.Pipelines.Fixtures;

namespace Dockyard.Tests.Pipelines.Expressions;

/// <summary>
/// Compares the expression lexer with Ruby's StringScanner running GitLab's lexeme patterns (ruby-lexemes.tsv),
/// over every corpus expression and hand-written edge cases.
/// </summary>
public class RubyLexerOracleTests
{
    private static readonly Dictionary<ExpressionTokenKind, string> Labels = new()
    {
        [ExpressionTokenKind.OpenParenthesis] = "(",
        [ExpressionTokenKind.CloseParenthesis] = ")",
        [ExpressionTokenKind.Variable] = "var",
        [ExpressionTokenKind.String] = "str",
        [ExpressionTokenKind.Pattern] = "re",
        [ExpressionTokenKind.Null] = "null",
        [ExpressionTokenKind.Equals] = "==",
        [ExpressionTokenKind.Matches] = "=~",
        [ExpressionTokenKind.NotEquals] = "!=",
        [ExpressionTokenKind.NotMatches] = "!~",
        [ExpressionTokenKind.And] = "&&",
        [ExpressionTokenKind.Or] = "||",
    };

    [Fact]
    public void Lexemes_agree_with_gitlab_patterns_run_by_ruby()
    {
        var rows = FixtureFile.Rows("ruby-lexemes.tsv").ToList();
        Assert.True(rows.Count > 250);
        var disagreements = new List<string>();
        foreach (var row in rows)
        {
            var text = JsonSerializer.Deserialize<string>(row[0])!;
            var expected = JsonSerializer.Deserialize<string[]>(row[1])!;
            var tokens = new List<ExpressionToken>();
            var actual = new List<string>();
            var ok = ExpressionLexer.TryTokenize(text, tokens, out var errorOffset, out _);
            actual.AddRange(tokens.Select(t => $"{Labels[t.Kind]}:{text.Substring(t.Offset, t.Length)}"));
            if (!ok)
            {
                actual.Add($"ERROR@{errorOffset}");
            }

            if (!expected.SequenceEqual(actual))
            {
                disagreements.Add($"{row[0]}: ruby {row[1]}, dockyard {JsonSerializer.Serialize(actual)}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }
}
