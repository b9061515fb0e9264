using System.Text;

namespace Dockyard.Dockerfiles.Syntax;

/// <summary>A <c>--name[=value]</c> flag at the start of an instruction's arguments.</summary>
internal sealed record Flag(string Name, string? Value, int Offset);

/// <summary>Reads the leading <c>--flags</c> of an instruction (quotes removed, <c>--</c> ends them), as BuildKit does.</summary>
internal static class FlagReader
{
    /// <summary>Reads flags starting at <paramref name="start"/>; <paramref name="restStart"/> is where the arguments begin.</summary>
    public static List<Flag> Read(string text, int start, out int restStart)
    {
        var flags = new List<Flag>();
        var pos = start;
        while (true)
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
            if (pos + 1 >= text.Length || text[pos] != '-' || text[pos + 1] != '-')
            {
                restStart = pos;
                return flags;
            }
            var wordStart = pos;
            var word = new StringBuilder();
            char quote = '\0';
            for (; pos < text.Length; pos++)
            {
                var ch = text[pos];
                if (quote == '\0' && char.IsWhiteSpace(ch)) break;
                if (quote == '\0' && (ch == '\'' || ch == '"')) { quote = ch; continue; }
                if (quote != '\0' && ch == quote) { quote = '\0'; continue; }
                if (ch == '\\' && pos + 1 < text.Length) ch = text[++pos];
                word.Append(ch);
            }
            var value = word.ToString();
            if (value == "--")
            {
                restStart = pos;
                return flags;
            }
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            flags.Add(equals < 0 ? new Flag(value[2..], null, wordStart) : new Flag(value[2..equals], value[(equals + 1)..], wordStart));
        }
    }

    /// <summary>Returns where the arguments begin after the flags.</summary>
    public static int SkipFlags(string text, int start)
    {
        Read(text, start, out var restStart);
        return restStart;
    }
}
