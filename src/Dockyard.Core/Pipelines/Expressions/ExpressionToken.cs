namespace Dockyard.Pipelines.Expressions;

/// <summary>The kinds of lexeme GitLab's expression lexer knows, in the order it tries them.</summary>
internal enum ExpressionTokenKind
{
    OpenParenthesis,
    CloseParenthesis,
    Variable,
    String,
    Pattern,
    Null,
    Equals,
    Matches,
    NotEquals,
    NotMatches,
    And,
    Or,
}

/// <summary>One lexeme: its kind, its value (variable name, string content or regex literal) and its offset in the text.</summary>
internal readonly record struct ExpressionToken(ExpressionTokenKind Kind, string Value, int Offset, int Length);
