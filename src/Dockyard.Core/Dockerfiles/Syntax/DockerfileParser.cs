using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Expansion;
using Dockyard.Dockerfiles.Model;
using Dockyard.FileSystem;

namespace Dockyard.Dockerfiles.Syntax;

/// <summary>
/// Parses Dockerfile text into a <see cref="Dockerfile"/>: directives, comments, continuations, here-documents and every
/// instruction, with BuildKit's rules. Variables are not expanded here (that needs build arguments, see the evaluator),
/// but their syntax is checked, so every error is reported with file:line:column before anything runs.
/// </summary>
public static class DockerfileParser
{
    /// <summary>The largest Dockerfile read (16 MiB; real ones are a few KiB), so a huge or endless file cannot exhaust memory.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Reads and parses a Dockerfile; locations use <paramref name="displayName"/> (default: the path as given).</summary>
    /// <exception cref="DockyardException">The file cannot be read.</exception>
    /// <exception cref="SourceException">The Dockerfile is invalid.</exception>
    public static Dockerfile ParseFile(string path, string? displayName = null)
    {
        var text = InputFile.ReadText(path, MaxFileBytes,
            why => new DockyardException($"The Dockerfile '{displayName ?? path}' {why}; refusing to read it. Name a regular file.") { Setting = Setting.Dockerfile });
        return Parse(text, displayName ?? path);
    }

    /// <summary>Parses Dockerfile text.</summary>
    /// <param name="text">The Dockerfile content.</param>
    /// <param name="fileName">The name used in error locations, e.g. <c>Dockerfile</c>.</param>
    /// <exception cref="SourceException">The Dockerfile is invalid.</exception>
    public static Dockerfile Parse(string text, string fileName = "Dockerfile")
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var directives = DirectiveReader.Read(lines, fileName);
        var warnings = new List<string>();
        var scanner = new LineScanner(lines, fileName, directives.Escape, warnings);
        var parser = new InstructionParser(directives.Escape, warnings);

        var globalArgs = new List<ArgInstruction>();
        var stages = new List<Stage>();
        FromInstruction? from = null;
        var body = new List<Instruction>();
        var names = new Dictionary<string, FromInstruction>(StringComparer.Ordinal);
        while (scanner.Next() is { } line)
        {
            var instruction = parser.Parse(line);
            CheckVariableSyntax(instruction, directives.Escape);
            switch (instruction)
            {
                case FromInstruction next:
                    if (from is not null) stages.Add(new Stage(stages.Count, from, body));
                    if (next.StageName is { } name)
                    {
                        if (names.TryGetValue(name, out var first))
                            throw new SourceException(next.Location, $"duplicate stage name '{name}' (first defined at {first.Location}).", "Give each stage a unique name.");
                        names[name] = next;
                    }
                    from = next;
                    body = [];
                    break;
                case ArgInstruction arg when from is null:
                    globalArgs.Add(arg);
                    break;
                default:
                    if (from is null)
                        throw new SourceException(instruction.Location, $"{instruction.Keyword} comes before the first FROM.",
                            "Only ARG (and comments or parser directives) may come before FROM; start the stage with FROM image.");
                    body.Add(instruction);
                    break;
            }
        }
        if (from is null)
            throw new SourceException(new SourceLocation(fileName, 1, 1), "the Dockerfile has no FROM instruction.",
                "Start it with FROM image (e.g. FROM mcr.microsoft.com/dotnet/aspnet:8.0).");
        stages.Add(new Stage(stages.Count, from, body));
        return new Dockerfile(fileName, directives, globalArgs, stages, warnings);
    }

    /// <summary>Expands with placeholder values so that quoting and substitution syntax errors surface at parse time.</summary>
    private static void CheckVariableSyntax(Instruction instruction, char escape)
    {
        var target = instruction is OnbuildInstruction onbuild ? onbuild.Trigger : instruction;
        target.Expand(new WordExpander(_ => "value", escape, target.Location));
    }
}
