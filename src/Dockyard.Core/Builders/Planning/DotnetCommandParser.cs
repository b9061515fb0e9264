namespace Dockyard.Builders.Planning;

/// <summary>Parses <c>dotnet publish|build|restore|...</c> command lines (already split into words).</summary>
public static class DotnetCommandParser
{
    private static readonly string[] ValueOptions =
    [
        "-c", "--configuration", "-o", "--output", "-r", "--runtime", "-f", "--framework", "-a", "--arch", "--os", "-v", "--verbosity",
        "--version-suffix", "-s", "--source", "--packages", "--configfile", "-p", "--property", "--launch-profile", "--manifest",
        "--logger", "-l", "--filter", "--settings", "--results-directory", "--collect",
    ];

    /// <summary>Parses <paramref name="words"/> when they start with <c>dotnet VERB</c>; null otherwise.</summary>
    public static DotnetCommand? TryParse(IReadOnlyList<string> words)
    {
        if (words.Count < 2 || !IsDotnet(words[0]) || words[1].StartsWith('-')) return null;
        var verb = words[1];
        string? project = null, configuration = null, output = null, runtime = null, framework = null;
        bool? selfContained = null;
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 2; i < words.Count; i++)
        {
            var word = words[i];
            var (name, inlineValue) = SplitOption(word);
            string? Value() => inlineValue ?? (i + 1 < words.Count ? words[++i] : null);
            switch (name)
            {
                case "-c" or "--configuration": configuration = Value(); break;
                case "-o" or "--output": output = Value(); break;
                case "-r" or "--runtime": runtime = Value(); break;
                case "-f" or "--framework": framework = Value(); break;
                case "--no-self-contained": selfContained = false; break;
                case "--sc" or "--self-contained":
                    if (inlineValue is not null) selfContained = !inlineValue.Equals("false", StringComparison.OrdinalIgnoreCase);
                    else if (i + 1 < words.Count && words[i + 1] is "true" or "false" or "True" or "False")
                        selfContained = words[++i].Equals("true", StringComparison.OrdinalIgnoreCase);
                    else selfContained = true;
                    break;
                case "-p" or "/p" or "--property" or "-property" or "/property":
                    AddProperties(properties, Value());
                    break;
                default:
                    if (name.StartsWith('-') || name.StartsWith('/') && name.Length > 1 && inlineValue is not null)
                    {
                        if (inlineValue is null && ValueOptions.Contains(name) && i + 1 < words.Count) i++;
                    }
                    else project ??= word;
                    break;
            }
        }
        return new DotnetCommand(verb, project, configuration, output, runtime, selfContained, framework, properties, words.ToList());
    }

    private static bool IsDotnet(string word) => word == "dotnet" || word.EndsWith("/dotnet", StringComparison.Ordinal);

    /// <summary>Splits <c>--name=value</c>, <c>-p:value</c> and <c>/p:value</c> into name and inline value.</summary>
    private static (string Name, string? Value) SplitOption(string word)
    {
        if (!word.StartsWith('-') && !word.StartsWith('/')) return (word, null);
        var colon = word.IndexOf(':', StringComparison.Ordinal);
        var equals = word.IndexOf('=', StringComparison.Ordinal);
        if (word.StartsWith("--", StringComparison.Ordinal) && equals > 0 && (colon < 0 || equals < colon)) return (word[..equals], word[(equals + 1)..]);
        if (colon > 0) return (word[..colon], word[(colon + 1)..]);
        return (word, null);
    }

    private static void AddProperties(Dictionary<string, string> properties, string? text)
    {
        if (text is null) return;
        foreach (var item in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0) properties[item[..equals].Trim()] = item[(equals + 1)..].Trim().Trim('"');
        }
    }
}
