namespace Dockyard.Diagnostics;

/// <summary>A position in a source file, 1-based, printed as <c>file:line:column</c>.</summary>
/// <param name="File">The file path as the user named it (relative to the project directory when possible).</param>
/// <param name="Line">1-based line, or 0 when unknown.</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>Formats the location as <c>file:line:column</c>, dropping the parts that are unknown.</summary>
    public override string ToString() =>
        Line <= 0 ? File : Column <= 0 ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
}
