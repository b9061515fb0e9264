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

/// <summary>One build stage: a FROM line and the instructions up to the next FROM.</summary>
/// <param name="Index">0-based position among the stages.</param>
/// <param name="From">The FROM instruction.</param>
/// <param name="Instructions">The instructions after FROM, in order.</param>
public sealed record Stage(int Index, FromInstruction From, IReadOnlyList<Instruction> Instructions)
{
    /// <summary>The stage name (lower case), or null when the stage has no <c>AS name</c>.</summary>
    public string? Name => From.StageName;

    /// <summary>The name, or the index when unnamed: how docker refers to the stage.</summary>
    public string DisplayName => Name ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A parsed Dockerfile: directives, the ARGs before the first FROM, and the stages.</summary>
/// <param name="FileName">The file name used in locations.</param>
/// <param name="Directives">The parser directives.</param>
/// <param name="GlobalArgs">ARG instructions before the first FROM (usable in FROM lines).</param>
/// <param name="Stages">The stages in order.</param>
/// <param name="Warnings">Non-fatal findings (e.g. empty continuation lines), each with its location.</param>
public sealed record Dockerfile(string FileName, ParserDirectives Directives, IReadOnlyList<ArgInstruction> GlobalArgs,
    IReadOnlyList<Stage> Stages, IReadOnlyList<string> Warnings);
