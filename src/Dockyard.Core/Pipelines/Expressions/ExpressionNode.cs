using System.Text;

namespace Dockyard.Pipelines.Expressions;

/// <summary>A node of a parsed <c>rules:if</c> expression.</summary>
internal abstract class ExpressionNode
{
    /// <summary>Evaluates the node against variable values.</summary>
    public abstract ExpressionValue Evaluate(Func<string, string?> lookup);

    /// <summary>Appends the normalised text of the node.</summary>
    public abstract void Write(StringBuilder builder);

    /// <summary>Writes the node, inside parentheses when <paramref name="parenthesized"/>.</summary>
    public void Write(StringBuilder builder, bool parenthesized)
    {
        if (parenthesized) builder.Append('(');
        Write(builder);
        if (parenthesized) builder.Append(')');
    }

    /// <summary>Adds the names of the variables the node reads.</summary>
    public abstract void CollectVariables(ICollection<string> names);
}

/// <summary><c>$NAME</c>: the variable's value, or nil when it is not defined.</summary>
internal sealed class VariableNode(string name) : ExpressionNode
{
    public string Name { get; } = name;

    public override ExpressionValue Evaluate(Func<string, string?> lookup) => ExpressionValue.FromString(lookup(Name));

    public override void Write(StringBuilder builder) => builder.Append('$').Append(Name);

    public override void CollectVariables(ICollection<string> names)
    {
        if (!names.Contains(Name))
        {
            names.Add(Name);
        }
    }
}

/// <summary>A quoted string literal (never expanded).</summary>
internal sealed class StringNode(string value) : ExpressionNode
{
    public override ExpressionValue Evaluate(Func<string, string?> lookup) => ExpressionValue.FromString(value);

    public override void Write(StringBuilder builder)
    {
        var quote = value.Contains('"') ? '\'' : '"';
        builder.Append(quote).Append(value).Append(quote);
    }

    public override void CollectVariables(ICollection<string> names)
    {
    }
}

/// <summary>The <c>null</c> keyword.</summary>
internal sealed class NullNode : ExpressionNode
{
    public static NullNode Instance { get; } = new();

    public override ExpressionValue Evaluate(Func<string, string?> lookup) => ExpressionValue.Null;

    public override void Write(StringBuilder builder) => builder.Append("null");

    public override void CollectVariables(ICollection<string> names)
    {
    }
}

/// <summary>A <c>/regex/flags</c> literal.</summary>
internal sealed class PatternNode(UntrustedRegex pattern) : ExpressionNode
{
    public override ExpressionValue Evaluate(Func<string, string?> lookup) => ExpressionValue.FromPattern(pattern);

    // Slashes inside the regex are written escaped so the normalised text lexes back to the same regex.
    public override void Write(StringBuilder builder) =>
        builder.Append('/').Append(pattern.Source.Replace("/", "\\/", StringComparison.Ordinal)).Append('/').Append(pattern.Flags);

    public override void CollectVariables(ICollection<string> names)
    {
    }
}

/// <summary>The four comparison operators.</summary>
internal enum ComparisonOperator
{
    Equals,
    NotEquals,
    Matches,
    NotMatches,
}

/// <summary><c>left op right</c> for <c>==</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>.</summary>
internal sealed class ComparisonNode(ComparisonOperator op, ExpressionNode left, ExpressionNode right) : ExpressionNode
{
    public override ExpressionValue Evaluate(Func<string, string?> lookup)
    {
        var leftValue = left.Evaluate(lookup);
        var rightValue = right.Evaluate(lookup);
        return op switch
        {
            ComparisonOperator.Equals => ExpressionValue.FromBoolean(leftValue.RubyEquals(rightValue)),
            ComparisonOperator.NotEquals => ExpressionValue.FromBoolean(!leftValue.RubyEquals(rightValue)),
            ComparisonOperator.Matches => ExpressionValue.FromBoolean(Matches(leftValue, rightValue) ?? false),
            _ => ExpressionValue.FromBoolean(!(Matches(leftValue, rightValue) ?? false)),
        };
    }

    /// <summary>
    /// GitLab's <c>=~</c>: nil (or false) on the right never matches; a string on the right that is a valid
    /// <c>/re/flags</c> literal is used as a regex; any other string is searched for the left text as a substring
    /// (Ruby's <c>String#scan</c> with a string argument).
    /// </summary>
    private static bool? Matches(ExpressionValue left, ExpressionValue right)
    {
        var text = left.ToRubyString();
        switch (right.Kind)
        {
            case ExpressionValueKind.Pattern:
                return right.Pattern!.IsMatch(text);
            case ExpressionValueKind.String:
                return UntrustedRegex.TryParseLiteral(right.Text!, out var regex)
                    ? regex!.IsMatch(text)
                    : right.Text!.Contains(text, StringComparison.Ordinal);
            default:
                return null;
        }
    }

    public override void Write(StringBuilder builder)
    {
        WriteOperand(builder, left);
        builder.Append(op switch
        {
            ComparisonOperator.Equals => " == ",
            ComparisonOperator.NotEquals => " != ",
            ComparisonOperator.Matches => " =~ ",
            _ => " !~ ",
        });
        WriteOperand(builder, right);
    }

    private static void WriteOperand(StringBuilder builder, ExpressionNode operand) =>
        operand.Write(builder, parenthesized: operand is LogicalNode or ComparisonNode);

    public override void CollectVariables(ICollection<string> names)
    {
        left.CollectVariables(names);
        right.CollectVariables(names);
    }
}

/// <summary><c>&amp;&amp;</c> or <c>||</c> with Ruby semantics: the result is one of the operands.</summary>
internal sealed class LogicalNode(bool isAnd, ExpressionNode left, ExpressionNode right) : ExpressionNode
{
    public bool IsAnd { get; } = isAnd;

    public override ExpressionValue Evaluate(Func<string, string?> lookup)
    {
        var leftValue = left.Evaluate(lookup);
        if (IsAnd)
        {
            return leftValue.IsTruthy ? right.Evaluate(lookup) : leftValue;
        }

        return leftValue.IsTruthy ? leftValue : right.Evaluate(lookup);
    }

    public override void Write(StringBuilder builder)
    {
        WriteOperand(builder, left, isLeft: true);
        builder.Append(IsAnd ? " && " : " || ");
        WriteOperand(builder, right, isLeft: false);
    }

    private void WriteOperand(StringBuilder builder, ExpressionNode operand, bool isLeft)
    {
        // && inside || needs no parentheses; || inside && does; a right operand of the same operator was grouped explicitly.
        operand.Write(builder, parenthesized: operand is LogicalNode inner && ((IsAnd && !inner.IsAnd) || (!isLeft && inner.IsAnd == IsAnd)));
    }

    public override void CollectVariables(ICollection<string> names)
    {
        left.CollectVariables(names);
        right.CollectVariables(names);
    }
}
