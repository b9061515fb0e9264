namespace Dockyard.Jobs.Artifacts;

/// <summary>
/// Reads an <c>artifacts:reports:dotenv</c> file as GitLab does: one <c>KEY=VALUE</c> per line, blank lines and
/// <c>#</c> comments skipped, spaces around key and value trimmed, one pair of surrounding quotes removed. A line
/// that is not a valid assignment is reported and skipped.
/// </summary>
public static class DotenvReader
{
    /// <summary>The variables of <paramref name="text"/>, in order (a repeated key keeps its last value).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string text, string displayPath, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(warn);
        var result = new List<KeyValuePair<string, string>>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=');
            var key = eq < 0 ? "" : line[..eq].Trim();
            if (eq <= 0 || !IsName(key))
            {
                warn($"{displayPath}:{i + 1}: not a KEY=VALUE line; skipped");
                continue;
            }

            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0]) value = value[1..^1];
            result.RemoveAll(p => p.Key == key);
            result.Add(new(key, value));
        }

        return result;
    }

    private static bool IsName(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
