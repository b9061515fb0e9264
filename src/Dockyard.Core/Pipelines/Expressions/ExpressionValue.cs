namespace Dockyard.Pipelines.Expressions;

/// <summary>The kinds of value an expression node evaluates to (GitLab evaluates with Ruby objects).</summary>
internal enum ExpressionValueKind
{
    Null,
    String,
    Pattern,
    Boolean,
}

/// <summary>
/// A Ruby-like value produced while evaluating an expression. GitLab's <c>&amp;&amp;</c>/<c>||</c> return operands
/// (Ruby truthiness: only nil and false are falsy, so <c>""</c> is truthy) and the final answer is Rails'
/// <c>present?</c> (nil, false and blank strings are not present).
/// </summary>
internal readonly struct ExpressionValue
{
    private ExpressionValue(ExpressionValueKind kind, string? text, UntrustedRegex? pattern, bool boolean)
    {
        Kind = kind;
        Text = text;
        Pattern = pattern;
        Boolean = boolean;
    }

    public static ExpressionValue Null => default;

    public static ExpressionValue True { get; } = new(ExpressionValueKind.Boolean, null, null, true);

    public static ExpressionValue False { get; } = new(ExpressionValueKind.Boolean, null, null, false);

    public ExpressionValueKind Kind { get; }

    public string? Text { get; }

    public UntrustedRegex? Pattern { get; }

    public bool Boolean { get; }

    public static ExpressionValue FromString(string? text) =>
        text is null ? Null : new ExpressionValue(ExpressionValueKind.String, text, null, false);

    public static ExpressionValue FromPattern(UntrustedRegex pattern) => new(ExpressionValueKind.Pattern, null, pattern, false);

    public static ExpressionValue FromBoolean(bool value) => value ? True : False;

    /// <summary>Ruby truthiness: everything except nil and false.</summary>
    public bool IsTruthy => Kind switch
    {
        ExpressionValueKind.Null => false,
        ExpressionValueKind.Boolean => Boolean,
        _ => true,
    };

    /// <summary>Rails <c>present?</c>: not nil, not false, not a string of only whitespace.</summary>
    public bool IsPresent => Kind switch
    {
        ExpressionValueKind.Null => false,
        ExpressionValueKind.Boolean => Boolean,
        ExpressionValueKind.String => !string.IsNullOrWhiteSpace(Text),
        _ => true,
    };

    /// <summary>Ruby <c>==</c> between two values of any kind.</summary>
    public bool RubyEquals(ExpressionValue other) => Kind == other.Kind && Kind switch
    {
        ExpressionValueKind.Null => true,
        ExpressionValueKind.Boolean => Boolean == other.Boolean,
        ExpressionValueKind.String => string.Equals(Text, other.Text, StringComparison.Ordinal),
        _ => string.Equals(Pattern!.ToString(), other.Pattern!.ToString(), StringComparison.Ordinal),
    };

    /// <summary>Ruby <c>to_s</c>, used for the left side of <c>=~</c>.</summary>
    public string ToRubyString() => Kind switch
    {
        ExpressionValueKind.Null => "",
        ExpressionValueKind.Boolean => Boolean ? "true" : "false",
        ExpressionValueKind.String => Text!,
        _ => Pattern!.ToString(),
    };
}
