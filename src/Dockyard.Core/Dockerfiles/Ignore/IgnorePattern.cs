using System.Text;
using System.Text.RegularExpressions;

namespace Dockyard.Dockerfiles.Ignore;

/// <summary>
/// One <c>.dockerignore</c> pattern compiled the way moby/patternmatcher does: Go <c>filepath.Match</c> syntax
/// (<c>*</c>, <c>?</c>, <c>[...]</c>, <c>\</c> escapes) plus <c>**</c> for any number of directories.
/// </summary>
public sealed class IgnorePattern
{
    private enum MatchKind { Exact, Prefix, Suffix, Regex }

    private readonly MatchKind _kind;
    private readonly Regex _regex;

    /// <summary>Compiles a cleaned pattern (without its <c>!</c>).</summary>
    /// <exception cref="ArgumentException">The pattern is not valid.</exception>
    public IgnorePattern(string pattern, bool isException, int line)
    {
        Pattern = pattern;
        IsException = isException;
        Line = line;
        var regex = new StringBuilder("^");
        _kind = MatchKind.Exact;
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '*')
            {
                var atStart = i == 0;
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/') i++;
                    if (i + 1 == pattern.Length)
                    {
                        if (_kind == MatchKind.Exact) _kind = MatchKind.Prefix;
                        else
                        {
                            regex.Append(".*");
                            _kind = MatchKind.Regex;
                        }
                    }
                    else
                    {
                        regex.Append("(.*/)?");
                        _kind = MatchKind.Regex;
                    }
                    if (atStart) _kind = MatchKind.Suffix;
                }
                else
                {
                    regex.Append("[^/]*");
                    _kind = MatchKind.Regex;
                }
            }
            else if (ch == '?')
            {
                regex.Append("[^/]");
                _kind = MatchKind.Regex;
            }
            else if (".+()|{}$".Contains(ch, StringComparison.Ordinal)) regex.Append('\\').Append(ch);
            else if (ch == '\\')
            {
                if (i + 1 < pattern.Length) regex.Append(Regex.Escape(pattern[++i].ToString()));
                else regex.Append(@"\\");
                _kind = MatchKind.Regex;
            }
            else if (ch is '[' or ']')
            {
                regex.Append(ch);
                _kind = MatchKind.Regex;
            }
            else regex.Append(ch);
        }
        regex.Append(@"\z");
        _regex = new Regex(regex.ToString(), RegexOptions.CultureInvariant);
        ValidateGoSyntax(pattern);
    }

    /// <summary>The cleaned pattern, without <c>!</c>.</summary>
    public string Pattern { get; }

    /// <summary>True for a <c>!pattern</c> (re-includes what earlier patterns excluded).</summary>
    public bool IsException { get; }

    /// <summary>The line of <c>.dockerignore</c> it comes from.</summary>
    public int Line { get; }

    /// <summary>Matches a '/'-separated path relative to the context root.</summary>
    public bool Matches(string path) => _kind switch
    {
        MatchKind.Exact => path == Pattern,
        MatchKind.Prefix => path.StartsWith(Pattern[..^2], StringComparison.Ordinal),
        MatchKind.Suffix => SuffixMatches(path),
        _ => _regex.IsMatch(path),
    };

    private bool SuffixMatches(string path)
    {
        var suffix = Pattern[2..];
        if (path.EndsWith(suffix, StringComparison.Ordinal)) return true;
        return suffix.StartsWith('/') && path == suffix[1..];
    }

    /// <summary>Rejects what Go's <c>filepath.Match</c> calls a bad pattern: unclosed '[' or a trailing escape inside a class.</summary>
    private static void ValidateGoSyntax(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\') { i++; continue; }
            if (pattern[i] != '[') continue;
            var j = i + 1;
            if (j < pattern.Length && pattern[j] == '^') j++;
            var first = true;
            for (; j < pattern.Length; j++)
            {
                if (pattern[j] == ']' && !first) break;
                if (pattern[j] == '\\') j++;
                first = false;
            }
            if (j >= pattern.Length) throw new ArgumentException($"'{pattern}' has a '[' without its closing ']'.");
            i = j;
        }
    }
}
