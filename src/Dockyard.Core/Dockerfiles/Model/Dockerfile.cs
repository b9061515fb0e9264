namespace Dockyard.Dockerfiles.Model;

/// <summary>A parsed Dockerfile: directives, the ARGs before the first FROM, and the stages.</summary>
/// <param name="FileName">The file name used in locations.</param>
/// <param name="Directives">The parser directives.</param>
/// <param name="GlobalArgs">ARG instructions before the first FROM (usable in FROM lines).</param>
/// <param name="Stages">The stages in order.</param>
/// <param name="Warnings">Non-fatal findings (e.g. empty continuation lines), each with its location.</param>
public sealed record Dockerfile(string FileName, ParserDirectives Directives, IReadOnlyList<ArgInstruction> GlobalArgs,
    IReadOnlyList<Stage> Stages, IReadOnlyList<string> Warnings);
