using System.Text;
using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Expressions;

/// <summary>
/// A parsed GitLab CI/CD variable expression (<c>rules:if</c>, <c>only/except:variables</c>), evaluated with GitLab's
/// semantics: <c>$VAR</c> (not <c>${VAR}</c>), <c>"str"</c>/<c>'str'</c>, <c>null</c>, <c>/re2/flags</c>,
/// <c>== != =~ !~</c>, <c>&amp;&amp;</c> binding tighter than <c>||</c>, parentheses.
/// </summary>
/// <remarks>
/// Faithful to GitLab's Ruby evaluator: an undefined variable is nil (<c>$UNDEF == null</c> is true,
/// <c>$UNDEF == ""</c> false); <c>&amp;&amp;</c>/<c>||</c> return one of their operands with Ruby truthiness (an empty
/// string is truthy), and the whole expression is true when its value is <c>present?</c> (not nil, false or blank).
/// So <c>$EMPTY || $SET</c> is false and <c>$EMPTY &amp;&amp; $SET</c> is true, as on GitLab.
/// <c>=~</c> with a string (not <c>/re/</c>) on the right tests whether the right contains the left as a substring.
/// </remarks>
public sealed class RuleExpression
{
    private readonly ExpressionNode root;
    private string? normalized;
    private IReadOnlyList<string>? variableNames;

    private RuleExpression(string text, ExpressionNode root)
    {
        Text = text;
        this.root = root;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The names of the variables the expression reads, in order of first use.</summary>
    public IReadOnlyList<string> VariableNames
    {
        get
        {
            if (variableNames is null)
            {
                var names = new List<string>();
                root.CollectVariables(names);
                variableNames = names;
            }

            return variableNames;
        }
    }

    /// <summary>
    /// Parses <paramref name="text"/>. Throws <see cref="SourceException"/> pointing at the offending column (relative to
    /// <paramref name="location"/>, the position of the first character of the expression) when GitLab would reject it.
    /// </summary>
    public static RuleExpression Parse(string text, SourceLocation location)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var expression, out var offset, out var problem))
        {
            return expression!;
        }

        throw new SourceException(Locate(location, text, offset),
            $"invalid rules:if expression '{text.Trim()}': {problem}.",
            "GitLab accepts $VAR, \"string\" or 'string', null, /regex/flags, ==, !=, =~, !~, &&, || and parentheses.");
    }

    /// <summary>Parses without throwing; on failure gives the 0-based offset in the text and the problem.</summary>
    public static bool TryParse(string text, out RuleExpression? expression, out int errorOffset, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<ExpressionToken>();
        expression = null;
        if (!ExpressionLexer.TryTokenize(text, tokens, out errorOffset, out problem))
        {
            return false;
        }

        var root = ExpressionParser.Parse(tokens, text.Length, out var failure);
        if (root is null)
        {
            errorOffset = failure.Offset;
            problem = failure.Problem;
            return false;
        }

        expression = new RuleExpression(text, root);
        errorOffset = -1;
        problem = null;
        return true;
    }

    /// <summary>Evaluates the expression; <paramref name="lookup"/> returns null for an undefined variable.</summary>
    public bool Evaluate(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return root.Evaluate(lookup).IsPresent;
    }

    /// <summary>The normalised form: single spaces around operators, <c>"</c> quotes, only the parentheses needed.</summary>
    public override string ToString()
    {
        if (normalized is null)
        {
            var builder = new StringBuilder(Text.Length);
            root.Write(builder);
            normalized = builder.ToString();
        }

        return normalized;
    }

    private static SourceLocation Locate(SourceLocation start, string text, int offset)
    {
        if (start.Line <= 0 || start.Column <= 0 || offset < 0)
        {
            return start;
        }

        offset = Math.Min(offset, text.Length);
        var line = start.Line;
        var column = start.Column;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return new SourceLocation(start.File, line, column);
    }
}
