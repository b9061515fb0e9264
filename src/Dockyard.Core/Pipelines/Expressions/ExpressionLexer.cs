using System.Text.RegularExpressions;

namespace Dockyard.Pipelines.Expressions;

/// <summary>
/// Splits a <c>rules:if</c> expression into lexemes exactly like GitLab's <c>Gitlab::Ci::Pipeline::Expression::Lexer</c>:
/// whitespace (including newlines) is skipped, lexemes are tried in a fixed order, at most 100 tokens.
/// </summary>
internal static partial class ExpressionLexer
{
    /// <summary>GitLab's token limit per expression.</summary>
    public const int MaxTokens = 100;

    // GitLab: /\$(?<name>\w+)/ with Ruby's ASCII \w.
    [GeneratedRegex(@"\G\$([A-Za-z0-9_]+)")]
    private static partial Regex VariablePattern();

    // GitLab: /("(?<string>.*?)")|('(?<string>.*?)')/ — no escapes, no newlines inside.
    [GeneratedRegex("\\G(?:\"([^\"\\n]*)\"|'([^'\\n]*)')")]
    private static partial Regex StringPattern();

    // GitLab: %r{^\/([^\/]|\\/)+[^\\]\/[ismU]*} — at least two characters between the slashes.
    [GeneratedRegex(@"\G/(?:[^/]|\\/)+[^\\]/[ismU]*", RegexOptions.None, 1000)]
    private static partial Regex RegexLiteralPattern();

    /// <summary>Tokenises <paramref name="text"/>; on failure returns the offset of the first character no lexeme matches.</summary>
    public static bool TryTokenize(string text, List<ExpressionToken> tokens, out int errorOffset, out string? error)
    {
        var position = 0;
        while (true)
        {
            while (position < text.Length && IsRubySpace(text[position]))
            {
                position++;
            }

            if (position >= text.Length)
            {
                errorOffset = -1;
                error = null;
                return true;
            }

            if (tokens.Count >= MaxTokens)
            {
                errorOffset = position;
                error = $"the expression has more than {MaxTokens} tokens, GitLab's limit";
                return false;
            }

            if (!TryScan(text, position, out var token))
            {
                errorOffset = position;
                error = DescribeUnknown(text, position);
                return false;
            }

            tokens.Add(token);
            position += token.Length;
        }
    }

    private static bool TryScan(string text, int position, out ExpressionToken token)
    {
        var rest = text.AsSpan(position);
        switch (rest[0])
        {
            case '(':
                token = new ExpressionToken(ExpressionTokenKind.OpenParenthesis, "(", position, 1);
                return true;
            case ')':
                token = new ExpressionToken(ExpressionTokenKind.CloseParenthesis, ")", position, 1);
                return true;
            case '$':
            {
                var match = VariablePattern().Match(text, position);
                token = match.Success
                    ? new ExpressionToken(ExpressionTokenKind.Variable, match.Groups[1].Value, position, match.Length)
                    : default;
                return match.Success;
            }

            case '"' or '\'':
            {
                var match = StringPattern().Match(text, position);
                token = match.Success
                    ? new ExpressionToken(ExpressionTokenKind.String,
                        match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, position, match.Length)
                    : default;
                return match.Success;
            }

            case '/':
            {
                var match = RegexLiteralPattern().Match(text, position);
                token = match.Success
                    ? new ExpressionToken(ExpressionTokenKind.Pattern, match.Value, position, match.Length)
                    : default;
                return match.Success;
            }
        }

        if (rest.StartsWith("null", StringComparison.Ordinal))
        {
            token = new ExpressionToken(ExpressionTokenKind.Null, "null", position, 4);
            return true;
        }

        (ExpressionTokenKind Kind, string Text)? op = rest switch
        {
            _ when rest.StartsWith("==") => (ExpressionTokenKind.Equals, "=="),
            _ when rest.StartsWith("=~") => (ExpressionTokenKind.Matches, "=~"),
            _ when rest.StartsWith("!=") => (ExpressionTokenKind.NotEquals, "!="),
            _ when rest.StartsWith("!~") => (ExpressionTokenKind.NotMatches, "!~"),
            _ when rest.StartsWith("&&") => (ExpressionTokenKind.And, "&&"),
            _ when rest.StartsWith("||") => (ExpressionTokenKind.Or, "||"),
            _ => null,
        };
        if (op is { } found)
        {
            token = new ExpressionToken(found.Kind, found.Text, position, 2);
            return true;
        }

        token = default;
        return false;
    }

    /// <summary>Ruby's <c>\s</c>: ASCII whitespace only.</summary>
    private static bool IsRubySpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';

    private static string DescribeUnknown(string text, int position)
    {
        var rest = text.AsSpan(position);
        if (char.IsWhiteSpace(rest[0]))
        {
            return $"the space character U+{(int)rest[0]:X4} is not allowed (GitLab only skips ASCII spaces, tabs and newlines)";
        }

        if (rest.StartsWith("${"))
        {
            return "GitLab does not accept ${VAR} in rules:if (it reports 'invalid expression syntax'); write $VAR instead";
        }

        if (rest[0] == '$')
        {
            return "'$' must be followed by a variable name made of letters, digits and '_'";
        }

        if (rest[0] is '"' or '\'')
        {
            return $"the string starting here has no closing {rest[0]} on the same line (strings have no escapes)";
        }

        if (rest[0] == '/')
        {
            return "this is not a complete /regex/ literal: it needs at least two characters between the slashes, "
                + "a closing '/' not preceded by '\\', and flags only from 'ismU'";
        }

        if (rest[0] == '!')
        {
            return "GitLab has no '!' negation operator; compare with != or !~, or test $VAR == null";
        }

        if (rest[0] == '=')
        {
            return "a single '=' is not an operator; use == or =~";
        }

        if (rest[0] is '&' or '|')
        {
            return $"a single '{rest[0]}' is not an operator; use && or ||";
        }

        var end = 0;
        while (end < rest.Length && end < 20 && !IsRubySpace(rest[end]))
        {
            end++;
        }

        return $"unexpected '{rest[..Math.Max(end, 1)].ToString()}'";
    }
}
