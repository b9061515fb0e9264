using System.Text.RegularExpressions;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Model;

namespace Dockyard.Dockerfiles.Syntax;

/// <summary>Reads the parser directives (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>) at the top of a Dockerfile.</summary>
internal static partial class DirectiveReader
{
    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectivePattern();

    private static readonly string[] Known = ["syntax", "escape", "check"];

    /// <summary>Reads directives until the first line that is not one (an unknown directive ends them too).</summary>
    public static ParserDirectives Read(IReadOnlyList<string> lines, string fileName)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var match = DirectivePattern().Match(lines[i]);
            if (!match.Success) break;
            var key = match.Groups[1].Value.ToLowerInvariant();
            if (!Known.Contains(key)) break;
            if (values.ContainsKey(key))
                throw new SourceException(new SourceLocation(fileName, i + 1, 1), $"the '{key}' parser directive appears twice.", "Keep only one.");
            values[key] = match.Groups[2].Value;
            if (key == "escape" && values[key] is not ("\\" or "`"))
                throw new SourceException(new SourceLocation(fileName, i + 1, match.Groups[2].Index + 1),
                    $"invalid escape character '{values[key]}'.", "Use '# escape=\\' (the default) or '# escape=`'.");
        }
        return new ParserDirectives(
            values.GetValueOrDefault("syntax"),
            values.TryGetValue("escape", out var escape) ? escape[0] : '\\',
            values.GetValueOrDefault("check"));
    }
}
