namespace Dockyard.Pipelines.Expressions;

/// <summary>
/// Recursive-descent parser over the lexemes: <c>or := and ('||' and)*</c>, <c>and := comparison ('&amp;&amp;' comparison)*</c>,
/// <c>comparison := operand (op operand)*</c>, <c>operand := value | '(' or ')'</c>.
/// </summary>
internal sealed class ExpressionParser
{
    private readonly List<ExpressionToken> tokens;
    private readonly int textLength;
    private int position;

    private ExpressionParser(List<ExpressionToken> tokens, int textLength)
    {
        this.tokens = tokens;
        this.textLength = textLength;
    }

    /// <summary>A parse failure: where (offset in the text) and what.</summary>
    public readonly record struct Failure(int Offset, string Problem);

    /// <summary>Parses the tokens into a tree or reports the first problem.</summary>
    public static ExpressionNode? Parse(List<ExpressionToken> tokens, int textLength, out Failure failure)
    {
        var parser = new ExpressionParser(tokens, textLength);
        failure = default;
        if (tokens.Count == 0)
        {
            failure = new Failure(0, "the expression is empty");
            return null;
        }

        try
        {
            var node = parser.ParseOr();
            if (parser.position < tokens.Count)
            {
                var token = tokens[parser.position];
                failure = new Failure(token.Offset, token.Kind == ExpressionTokenKind.CloseParenthesis
                    ? "')' has no matching '('"
                    : $"expected && or || before '{Describe(token)}'");
                return null;
            }

            return node;
        }
        catch (ParseFailure exception)
        {
            failure = exception.Failure;
            return null;
        }
    }

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (Accept(ExpressionTokenKind.Or))
        {
            left = new LogicalNode(isAnd: false, left, ParseAnd());
        }

        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseComparison();
        while (Accept(ExpressionTokenKind.And))
        {
            left = new LogicalNode(isAnd: true, left, ParseComparison());
        }

        return left;
    }

    private ExpressionNode ParseComparison()
    {
        // Comparisons are left-associative like GitLab's shunting-yard parser: $A == $B == $C is ($A == $B) == $C.
        var left = ParseOperand();
        while (position < tokens.Count)
        {
            ComparisonOperator? op = tokens[position].Kind switch
            {
                ExpressionTokenKind.Equals => ComparisonOperator.Equals,
                ExpressionTokenKind.NotEquals => ComparisonOperator.NotEquals,
                ExpressionTokenKind.Matches => ComparisonOperator.Matches,
                ExpressionTokenKind.NotMatches => ComparisonOperator.NotMatches,
                _ => null,
            };
            if (op is null)
            {
                break;
            }

            position++;
            left = new ComparisonNode(op.Value, left, ParseOperand());
        }

        return left;
    }

    private ExpressionNode ParseOperand()
    {
        if (position >= tokens.Count)
        {
            throw new ParseFailure(new Failure(textLength, "the expression ends where a value was expected"));
        }

        var token = tokens[position++];
        switch (token.Kind)
        {
            case ExpressionTokenKind.Variable:
                return new VariableNode(token.Value);
            case ExpressionTokenKind.String:
                return new StringNode(token.Value);
            case ExpressionTokenKind.Null:
                return NullNode.Instance;
            case ExpressionTokenKind.Pattern:
                return ParsePattern(token);
            case ExpressionTokenKind.OpenParenthesis:
            {
                var inner = ParseOr();
                if (!Accept(ExpressionTokenKind.CloseParenthesis))
                {
                    throw new ParseFailure(new Failure(position < tokens.Count ? tokens[position].Offset : textLength,
                        $"'(' at offset {token.Offset + 1} is not closed; add ')'"));
                }

                return inner;
            }

            default:
                throw new ParseFailure(new Failure(token.Offset,
                    $"expected a value ($VAR, \"string\", null, /regex/ or '(') but found '{Describe(token)}'"));
        }
    }

    private static PatternNode ParsePattern(ExpressionToken token)
    {
        // GitLab first turns every "\/" into "/", then reads /regex/flags greedily up to the last slash.
        var literal = token.Value.Replace("\\/", "/", StringComparison.Ordinal);
        var close = literal.LastIndexOf('/');
        var source = literal[1..close];
        var flags = literal[(close + 1)..];
        if (!UntrustedRegex.TryCreate(source, flags, out var regex, out var error))
        {
            throw new ParseFailure(new Failure(token.Offset,
                $"invalid regular expression {token.Value}: {error}. GitLab uses RE2 syntax (no look-around or back-references)"));
        }

        return new PatternNode(regex!);
    }

    private bool Accept(ExpressionTokenKind kind)
    {
        if (position < tokens.Count && tokens[position].Kind == kind)
        {
            position++;
            return true;
        }

        return false;
    }

    private static string Describe(ExpressionToken token) => token.Kind switch
    {
        ExpressionTokenKind.Variable => "$" + token.Value,
        ExpressionTokenKind.String => "\"" + token.Value + "\"",
        _ => token.Value,
    };

    private sealed class ParseFailure(Failure failure) : Exception(failure.Problem)
    {
        public Failure Failure { get; } = failure;
    }
}
