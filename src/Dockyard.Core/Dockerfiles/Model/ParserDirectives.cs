namespace Dockyard.Dockerfiles.Model;

/// <summary>The parser directives at the top of a Dockerfile.</summary>
/// <param name="Syntax">The <c># syntax=</c> frontend image, if any.</param>
/// <param name="Escape">The escape character: <c>\</c> (default) or <c>`</c>.</param>
/// <param name="Check">The <c># check=</c> value, if any.</param>
public sealed record ParserDirectives(string? Syntax, char Escape, string? Check)
{
    /// <summary>No directives: backslash escapes.</summary>
    public static ParserDirectives Default { get; } = new(null, '\\', null);
}
