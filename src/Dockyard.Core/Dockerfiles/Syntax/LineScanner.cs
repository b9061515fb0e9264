using System.Text.RegularExpressions;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Model;

namespace Dockyard.Dockerfiles.Syntax;

/// <summary>
/// Turns the physical lines of a Dockerfile into logical lines: comments skipped, continuations joined (comment lines
/// and empty lines inside a continuation skipped), and here-document bodies of RUN/COPY/ADD read after their line.
/// </summary>
internal sealed partial class LineScanner(IReadOnlyList<string> lines, string fileName, char escape, List<string> warnings)
{
    private static readonly string[] HeredocKeywords = ["RUN", "COPY", "ADD"];
    private int _next;

    [GeneratedRegex(@"^(\d*)<<(-?)([^<]+)$")]
    private static partial Regex HeredocWord();

    /// <summary>Reads the next logical line, or null at the end of the file.</summary>
    public LogicalLine? Next()
    {
        while (_next < lines.Count)
        {
            var lineNumber = _next + 1;
            var raw = lines[_next++];
            if (IsComment(raw) || raw.Trim().Length == 0) continue;
            var indent = raw.Length - raw.TrimStart().Length;
            var logical = new LogicalLine(fileName);
            var continues = TrimContinuation(raw[indent..], out var part);
            logical.Append(part, lineNumber, indent + 1);
            while (continues && _next < lines.Count)
            {
                var continuationNumber = _next + 1;
                var next = lines[_next++];
                if (IsComment(next)) continue;
                if (next.Trim().Length == 0)
                {
                    warnings.Add($"{new SourceLocation(fileName, continuationNumber, 1)}: empty continuation line; docker will reject these in a future release. Remove it.");
                    continue;
                }
                continues = TrimContinuation(next, out part);
                logical.Append(part, continuationNumber, 1);
            }
            if (logical.Text.Trim().Length == 0) continue;
            ReadHeredocs(logical);
            return logical;
        }
        return null;
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    /// <summary>Removes a trailing escape character (followed only by spaces/tabs); true when the line continues.</summary>
    private bool TrimContinuation(string line, out string text)
    {
        var end = line.Length;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
        if (end > 0 && line[end - 1] == escape)
        {
            text = line[..(end - 1)];
            return true;
        }
        text = line;
        return false;
    }

    private void ReadHeredocs(LogicalLine logical)
    {
        var text = logical.Text;
        var keywordEnd = 0;
        while (keywordEnd < text.Length && !char.IsWhiteSpace(text[keywordEnd])) keywordEnd++;
        var keyword = text[..keywordEnd].ToUpperInvariant();
        if (!HeredocKeywords.Contains(keyword) || !text.Contains("<<", StringComparison.Ordinal)) return;
        var rest = FlagReader.SkipFlags(text, keywordEnd);
        if (text[rest..].TrimStart().StartsWith('[')) return;
        foreach (var word in Words.SplitQuoted(text[rest..], rest, '\\'))
        {
            var match = HeredocWord().Match(word.Text);
            if (!match.Success) continue;
            var delimiterText = match.Groups[3].Value;
            var quoted = delimiterText.IndexOfAny(['"', '\'', '\\']) >= 0;
            var name = delimiterText.Replace("\"", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal);
            if (name.Length == 0) continue;
            var stripTabs = match.Groups[2].Value == "-";
            var location = logical.At(word.Offset);
            var content = new System.Text.StringBuilder();
            var terminated = false;
            while (_next < lines.Count)
            {
                var body = lines[_next++];
                var candidate = stripTabs ? body.TrimStart('\t') : body;
                if (candidate == name)
                {
                    terminated = true;
                    break;
                }
                content.Append(candidate).Append('\n');
            }
            if (!terminated)
                throw new SourceException(location, $"unterminated here-document '{word.Text}': no line '{name}' ends it before the end of the file.",
                    $"Add a line containing exactly '{name}'" + (stripTabs ? " (tabs allowed before it)." : " (no spaces around it)."));
            var digits = match.Groups[1].Value;
            var fd = 0;
            if (digits.Length > 0 && !int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out fd))
                throw new SourceException(location, $"here-document '<<{(stripTabs ? "-" : "")}{name}': its file descriptor {Shorten(digits)} is too large.",
                    "Write a small file descriptor before '<<' (e.g. 3<<EOF), or none.");
            logical.Heredocs.Add(new Heredoc(name, content.ToString(), !quoted, stripTabs, fd, location));
        }
    }

    private static string Shorten(string digits) => digits.Length <= 20 ? digits : digits[..20] + "…";
}
